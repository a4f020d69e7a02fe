"""The demo province, modelled on Hà Tĩnh (DESIGN §1), built and reorganised through the services.

Before 1 July 2025: the confederation, the province federation, 13 district/town federations and
two sector unions, and 1,473 grassroots unions under them. On 1 July 2025 the reorganisation:
69 commune/ward unions appear; 442 grassroots unions (enterprises and provincial institutions)
move directly under the province; unions of commune and district state agencies close, merged
into the commune union of their area; the other grassroots unions (schools, clinics,
cooperatives…) move under their commune union; all 15 upper units are dissolved.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field

from unionhub.core.types import User
from unionhub.demo.data import Weighted, rows
from unionhub.orgs import services
from unionhub.orgs.models import Level, Sector, Unit

GRASSROOTS_BEFORE = 1473
DIRECT_AFTER = 442
REORGANISATION = dt.date(2025, 7, 1)
HISTORY_START = dt.date(2018, 1, 1)

_SECTORS = {
    "school": Sector.EDUCATION,
    "kindergarten": Sector.EDUCATION,
    "education": Sector.EDUCATION,
    "health": Sector.HEALTH,
    "hospital": Sector.HEALTH,
    "office": Sector.ADMINISTRATION,
    "department": Sector.ADMINISTRATION,
    "agency": Sector.ADMINISTRATION,
    "service_unit": Sector.ADMINISTRATION,
    "cooperative": Sector.COOPERATIVE,
    "credit_fund": Sector.COOPERATIVE,
    "fishing": Sector.INFORMAL,
    "motorbike": Sector.INFORMAL,
}
_ALWAYS_PER_COMMUNE = {
    "primary_school",
    "lower_secondary_school",
    "kindergarten",
    "commune_health_station",
    "commune_office",
}
_DIRECT_CATEGORIES = {
    "company",
    "garment",
    "construction",
    "utility",
    "bank",
    "upper_secondary_school",
}
_PROVINCIAL_AGENCIES = [
    "Văn phòng UBND tỉnh",
    "Văn phòng Tỉnh ủy",
    "Văn phòng Đoàn ĐBQH và HĐND tỉnh",
    "Sở Tài chính",
    "Sở Xây dựng",
    "Sở Nông nghiệp và Môi trường",
    "Sở Nội vụ",
    "Sở Tư pháp",
    "Sở Công Thương",
    "Sở Khoa học và Công nghệ",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Y tế",
    "Sở Giáo dục và Đào tạo",
    "Thanh tra tỉnh",
    "Ban Dân tộc tỉnh",
    "Kho bạc Nhà nước khu vực",
    "Thuế tỉnh Hà Tĩnh",
    "Bảo hiểm xã hội tỉnh",
    "Tòa án nhân dân tỉnh",
    "Viện Kiểm sát nhân dân tỉnh",
    "Đài Phát thanh - Truyền hình tỉnh",
    "Báo Hà Tĩnh",
    "Bệnh viện Đa khoa tỉnh",
    "Bệnh viện Y học cổ truyền tỉnh",
    "Bệnh viện Phục hồi chức năng tỉnh",
    "Trung tâm Kiểm soát bệnh tật tỉnh",
    "Trường Đại học Hà Tĩnh",
    "Trường Cao đẳng Y tế Hà Tĩnh",
    "Trường Cao đẳng Kỹ thuật Việt - Đức Hà Tĩnh",
    "Trường Chính trị Trần Phú",
    "Ban Quản lý Khu kinh tế tỉnh",
    "Ngân hàng Nhà nước chi nhánh Hà Tĩnh",
    "Cục Thống kê tỉnh",
    "Trung tâm Phục vụ hành chính công tỉnh",
    "Quỹ Đầu tư phát triển tỉnh",
    "Liên minh Hợp tác xã tỉnh",
]


def moves_to_province(planned: Planned) -> bool:
    """Whether this union goes directly under the province on 1 July 2025 (the 442)."""
    return planned.category in _DIRECT_CATEGORIES | {"enterprise", "provincial_agency"}


def _sector(category: str, template: str) -> str:
    for key, sector in _SECTORS.items():
        if key in category:
            return sector
    if category in _DIRECT_CATEGORIES and "school" not in category:
        return Sector.ENTERPRISE
    return Sector.OTHER


@dataclass
class Planned:
    name: str
    category: str
    sector: str
    state_agency: bool
    upper_code: str
    commune: str | None = None
    founded: dt.date = HISTORY_START
    unit: Unit | None = None

    @property
    def founded_unit(self) -> Unit:
        """The union once founded (found_grassroots founds every planned one before officers
        or members are made)."""
        if self.unit is None:
            raise LookupError(f"{self.name} is not founded yet")
        return self.unit


@dataclass
class Province:
    root: Unit
    province: Unit
    uppers: dict[str, Unit] = field(default_factory=dict)
    grassroots: list[Planned] = field(default_factory=list)
    communes_2025: list[Unit] = field(default_factory=list)
    district_names: dict[str, str] = field(default_factory=dict)


def _district_label(row: dict[str, str]) -> tuple[str, str]:
    """('huyện', 'Đức Thọ') from 'Liên đoàn Lao động huyện Đức Thọ'."""
    rest = row["name"].removeprefix("Liên đoàn Lao động ")
    for prefix in ("thành phố", "thị xã", "huyện"):
        if rest.startswith(prefix + " "):
            return prefix, rest.removeprefix(prefix + " ")
    return "huyện", rest


def _commune_short(commune: str) -> str:
    for prefix in ("Thị trấn ", "Phường ", "Xã "):
        if commune.startswith(prefix):
            return commune.removeprefix(prefix)
    return commune


def plan_grassroots(rng: random.Random) -> tuple[list[Planned], dict[str, str]]:
    """The 1,473 grassroots unions before the reorganisation; 442 of them bound for the province."""
    templates = rows("employers.tsv")
    districts = rows("hatinh_districts.tsv")
    communes: dict[str, list[str]] = defaultdict(list)
    for row in rows("hatinh_communes.tsv"):
        communes[row["district_code"]].append(row["commune_name"])
    district_names = {}
    local: list[Planned] = []
    optional: list[Planned] = []
    direct: list[Planned] = []
    for district in districts:
        code = district["code"]
        prefix, short = _district_label(district)
        district_names[code] = short
        for template in templates:
            text, category = template["template"], template["category"]
            state = template["state_agency"] == "1"
            sector = _sector(category, text)
            if "{district}" in text and category not in _DIRECT_CATEGORIES - {
                "upper_secondary_school"
            }:
                name = text.replace("huyện {district}", f"{prefix} {short}").replace(
                    "{district}", short
                )
                planned = Planned(name, category, sector, state, code)
                (direct if category == "upper_secondary_school" else local).append(planned)
            elif "{commune}" in text and category not in _DIRECT_CATEGORIES:
                for commune in communes[code]:
                    kind = commune.removesuffix(" " + _commune_short(commune)).lower()
                    name = text.replace("xã {commune}", f"{kind} {{commune}}")
                    name = name.replace("{commune}", _commune_short(commune))
                    planned = Planned(name, category, sector, state, code, commune=commune)
                    if category in _ALWAYS_PER_COMMUNE:
                        local.append(planned)
                    elif rng.random() < float(template["weight"]) / 10:
                        optional.append(planned)
    rng.shuffle(optional)
    local.extend(optional[: max(0, GRASSROOTS_BEFORE - DIRECT_AFTER - len(local))])
    rng.shuffle(local)
    local = local[: GRASSROOTS_BEFORE - DIRECT_AFTER]
    for planned in direct:
        planned.upper_code = "HT-GD"
    direct.extend(
        Planned(
            f"Công đoàn viên chức {name}".replace("Công đoàn viên chức ", ""),
            "provincial_agency",
            Sector.ADMINISTRATION,
            False,
            "HT-VC",
        )
        for name in _PROVINCIAL_AGENCIES
    )
    companies = [r["name"] for r in rows("companies.tsv")]
    company_forms = [
        t
        for t in templates
        if t["category"] in {"company", "garment", "construction"} and "{company}" in t["template"]
    ]
    form_choice = Weighted(
        [t["template"] for t in company_forms], [float(t["weight"]) for t in company_forms]
    )
    seen: set[str] = {p.name for p in direct}
    district_codes = [d["code"] for d in districts]
    district_weights = Weighted(
        district_codes, [3.0 if d["kind"] != "district" else 1.0 for d in districts]
    )
    serial = 0
    while len(direct) < DIRECT_AFTER:
        stem = companies[serial % len(companies)]
        form = form_choice.draw(rng)
        name = form.replace(
            "{company}",
            stem if serial < len(companies) else f"{stem} {serial // len(companies) + 1}",
        )
        serial += 1
        if name in seen:
            continue
        seen.add(name)
        direct.append(
            Planned(name, "company", Sector.ENTERPRISE, False, district_weights.draw(rng))
        )
    for planned in direct:
        planned.category = planned.category if planned.category != "company" else "enterprise"
    everything = local + direct[:DIRECT_AFTER]
    for planned in everything:
        planned.founded = dt.date(rng.randint(1993, 2016), rng.randint(1, 12), 1)
    return everything, district_names


def build(*, rng: random.Random, by: User, log=print) -> Province:
    """Found the tree as it stood before 1 July 2025, through the services (audited)."""
    root = services.unit_found(
        code="VGCL",
        name="Tổng Liên đoàn Lao động Việt Nam",
        short_name="TLĐ",
        level=Level.CONFEDERATION,
        parent=None,
        founded=dt.date(1929, 7, 28),
        sector=Sector.TERRITORIAL,
        address="82 Trần Hưng Đạo, Hà Nội",
        by=by,
    )
    province = services.unit_found(
        code="HT",
        name="Liên đoàn Lao động tỉnh Hà Tĩnh",
        short_name="LĐLĐ",
        level=Level.PROVINCE,
        parent=root,
        founded=dt.date(1991, 10, 1),
        sector=Sector.TERRITORIAL,
        address="Đường Phan Đình Phùng, TP Hà Tĩnh",
        by=by,
    )
    result = Province(root=root, province=province)
    for district in rows("hatinh_districts.tsv"):
        result.uppers[district["code"]] = services.unit_found(
            code=district["code"],
            name=district["name"],
            short_name=district["short"],
            level=Level.DIRECT_UPPER,
            parent=province,
            founded=dt.date(1992, 1, 1),
            sector=Sector.TERRITORIAL,
            by=by,
        )
    for code, name, short, sector in [
        ("HT-GD", "Công đoàn ngành Giáo dục tỉnh Hà Tĩnh", "CĐN-GD", Sector.EDUCATION),
        ("HT-VC", "Công đoàn Viên chức tỉnh Hà Tĩnh", "CĐVC", Sector.ADMINISTRATION),
    ]:
        result.uppers[code] = services.unit_found(
            code=code,
            name=name,
            short_name=short,
            level=Level.DIRECT_UPPER,
            parent=province,
            founded=dt.date(1992, 1, 1),
            sector=sector,
            by=by,
        )
    planned, result.district_names = plan_grassroots(rng)
    counters: dict[str, int] = defaultdict(int)
    for item in planned:
        counters[item.upper_code] += 1
        item.unit = services.unit_found(
            code=f"{item.upper_code}-{counters[item.upper_code]:04d}",
            name=f"Công đoàn {item.name}",
            level=Level.GRASSROOTS,
            parent=result.uppers[item.upper_code],
            founded=item.founded,
            sector=item.sector,
            by=by,
        )
    result.grassroots = planned
    log(f"  tree before 2025: {len(result.uppers)} upper units, {len(planned)} grassroots unions")
    return result


def reorganise(*, province: Province, by: User, log=print) -> None:
    """Replay the 1 July 2025 reorganisation through the services (DESIGN §1)."""
    day = REORGANISATION
    by_district: dict[str, list[Unit]] = defaultdict(list)
    for index, row in enumerate(rows("hatinh_communes_2025.tsv"), start=1):
        unit = services.unit_found(
            code=f"HT-X{index:02d}",
            name=f"Công đoàn {row['name']}",
            short_name="CĐX",
            level=Level.DIRECT_UPPER,
            parent=province.province,
            founded=day,
            sector=Sector.TERRITORIAL,
            by=by,
        )
        province.communes_2025.append(unit)
        by_district[row["old_district_code"]].append(unit)
    commune_union: dict[str, Unit] = {}
    for district_code, names in _communes_by_district().items():
        targets = by_district.get(district_code) or province.communes_2025
        for index, commune in enumerate(names):
            commune_union[commune] = targets[index % len(targets)]
    moved = closed = direct = 0
    for item in province.grassroots:
        unit = item.founded_unit
        if moves_to_province(item):
            services.unit_move(unit=unit, new_parent=province.province, effective=day, by=by)
            direct += 1
            continue
        targets = by_district.get(item.upper_code) or province.communes_2025
        target = commune_union.get(item.commune or "", targets[0])
        if item.state_agency:
            services.unit_dissolve(unit=unit, effective=day, merged_into=target, by=by)
            closed += 1
        else:
            services.unit_move(unit=unit, new_parent=target, effective=day, by=by)
            moved += 1
    for upper in province.uppers.values():
        services.unit_dissolve(unit=upper, effective=day, by=by)
    log(
        f"  reorganisation 01/07/2025: {direct} unions under the province, {moved} under "
        f"{len(province.communes_2025)} commune unions, {closed} state-agency unions closed, "
        f"{len(province.uppers)} upper units dissolved"
    )


def _communes_by_district() -> dict[str, list[str]]:
    result: dict[str, list[str]] = defaultdict(list)
    for row in rows("hatinh_communes.tsv"):
        result[row["district_code"]].append(row["commune_name"])
    return result
