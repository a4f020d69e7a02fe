from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    CAMPAIGN_CREATED = "movements.campaign.created", _("Campaign created")
    JUROR_APPOINTED = "movements.juror.appointed", _("Juror appointed")
    REGISTERED = "movements.registration.created", _("Registered for a campaign")
    ENTRY_SUBMITTED = "movements.entry.submitted", _("Entry submitted")
    SCORES_SAVED = "movements.score.saved", _("Juror's scores saved")
    AWARD_LEVEL_ADDED = "movements.award_level.added", _("Award level added")
    AWARD_GRANTED = "movements.award.granted", _("Award decided")
    AWARD_REVOKED = "movements.award.revoked", _("Award revoked")
    AWARD_ANNOUNCED = "movements.award.announced", _("Award announced at the ceremony")
    SUPPORT_PROPOSED = "movements.support.proposed", _("Support proposed")
    SUPPORT_APPROVED = "movements.support.approved", _("Support approved")
    SUPPORT_REJECTED = "movements.support.rejected", _("Support rejected")
    SHELTER_PROPOSED = "movements.shelter.proposed", _("Shelter house proposed")
    SHELTER_APPROVED = "movements.shelter.approved", _("Shelter house approved")
    SHELTER_REJECTED = "movements.shelter.rejected", _("Shelter house rejected")
    SHELTER_BUILT = "movements.shelter.built", _("Shelter house built")
    SHELTER_HANDED_OVER = "movements.shelter.handed_over", _("Shelter house handed over")
    CLASSIFICATION_CREATED = "movements.classification.created", _("Year-end classification set")
    ASSESSMENT_SCORED = "movements.assessment.scored", _("Grassroots union scored and classed")
