"""Public delegate routes at the site root, beside congress's /d/<token>."""

from django.urls import re_path

from unionhub.elections import public

TOKEN = r"(?P<token>[A-Za-z0-9_-]{20,200})"
urlpatterns = [
    re_path(rf"^d/{TOKEN}/votes/?$", public.delegate_votes, name="elections_delegate"),
    re_path(
        rf"^d/{TOKEN}/votes/(?P<round_pk>[0-9]+)/?$", public.delegate_vote, name="elections_vote"
    ),
    re_path(
        rf"^d/{TOKEN}/votes/motions/(?P<motion_pk>[0-9]+)/?$",
        public.delegate_motion_vote,
        name="elections_motion_vote",
    ),
]
