"""Demo data: a believable manufacturer whose units have real histories.

Every unit is registered through ``serials.registration`` and every later step goes
through the ledger (and the genealogy service for components), in time order, so the
demo exercises the same paths as real work and ``rebuild_units`` finds no drift.
Dates are spread over the last two years, so warranties are in force, expired or not
started, batches sit in every stage and some units have been repaired or recalled.

``seed_demo`` is deterministic for a given ``seed`` (except the random serials) and
runs in one transaction: it either loads everything or nothing.
"""

from __future__ import annotations

import random
import time as clock
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from unitrace.accounts.models import Profile
from unitrace.accounts.roles import ROLES
from unitrace.accounts.services import create_user
from unitrace.catalog.models import SKU, Batch, Category, ComponentSpec, WarrantyStart
from unitrace.codes.gs1 import normalize_gtin
from unitrace.core.audit import save_with_log
from unitrace.core.company import save_company
from unitrace.core.context import Actor, acting_as
from unitrace.demo.documents import DocumentSeeder
from unitrace.demo.service import ServiceSeeder
from unitrace.parties.models import AuthorizedRegion, Party
from unitrace.places.models import Bin, Warehouse
from unitrace.serials import genealogy, ledger
from unitrace.serials.ledger import EventData
from unitrace.serials.models import ComponentLink, SerialCounter, Unit, UnitEvent
from unitrace.serials.registration import NewUnit, register_units
from unitrace.serials.statuses import IN_FIELD_GROUP, EventType, Status

DEMO_ADMIN = "admin"
DEFAULT_UNITS = 5000
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


def demo_password(role: str) -> str:
    return f"{role}-demo-2026"


def demo_present() -> bool:
    """The demo is loaded once its admin login exists."""
    return get_user_model().objects.filter(username=DEMO_ADMIN).exists()


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, password, role) of every demo login, one per role."""
    return [(role, demo_password(role), str(label)) for role, (label, _perms) in ROLES.items()]


def logins_table() -> str:
    rows = [("username", "password", "role"), *demo_logins()]
    widths = [max(len(row[i]) for row in rows) for i in range(2)]
    lines = []
    for i, (user, password, label) in enumerate(rows):
        lines.append(f"  {user:<{widths[0]}}  {password:<{widths[1]}}  {label}")
        if i == 0:
            lines.append(f"  {'-' * widths[0]}  {'-' * widths[1]}  {'-' * 24}")
    return "\n".join(lines)


# --- master data -------------------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    """A sales area: its regional warehouse, service centre, distributor and places."""

    key: str
    name: str
    city: str
    places: tuple[tuple[str, str, str], ...]


# fmt: off
CATEGORIES = (
    ("medical", "医疗设备", None), ("pump", "输液泵", "medical"),
    ("appliance", "家用电器", None), ("ac", "空调", "appliance"),
    ("computer", "电脑", None), ("laptop", "笔记本电脑", "computer"),
    ("home", "智能家居", None), ("lock", "智能门锁", "home"),
    ("parts", "零部件", None), ("consumable", "耗材", None),
)
W = WarrantyStart
# code, name, category, GTIN, serial rule ("" = not serialized), warranty months, start
SKUS = (
    ("KFR-35GW/BP", "挂壁式变频空调 1.5匹", "ac", "6901234567908",
     "AC{YY}{MM}{SEQ:6}{CHECK}", 12, W.INSTALLATION),
    ("CMP-R32-35", "旋转式压缩机 R32", "parts", "", "CP{YY}{WW}{SEQ:7}{CHECK}", 60, W.SALE),
    ("MB-K35", "空调主控板", "parts", "", "MB{YYYY}{JJJ}{SEQ:5}{CHECK}", 24, W.SALE),
    ("NB-14PRO", "轻薄笔记本电脑 14英寸", "laptop", "6901234567915",
     "NB{YY}{MM}{SEQ:6}{CHECK}", 12, W.ACTIVATION),
    ("BAT-56WH", "笔记本锂电池 56Wh", "parts", "", "{YY}{MM}{DD}{SEQ:6}{CHECK}", 12, W.SALE),
    ("SSD-512G", "NVMe 固态硬盘 512GB", "parts", "", "SSD{BATCH}{SEQ:5}{CHECK}", 36, W.SALE),
    ("IP-600", "医用输液泵", "pump", "06901234567892", "IP{YY}{SEQ:6}{CHECK}", 18, W.SHIPMENT),
    ("SL-X1", "智能指纹门锁", "lock", "6901234567922", "{RAND:10}{CHECK}", 18, W.SALE),
    ("IS-20", "一次性使用输液器（20滴/mL）", "consumable", "6901234567939", "", 0, W.SALE),
    ("FLT-K35", "空调室内机过滤网", "parts", "", "", 0, W.SALE),
)
COMPONENTS = (  # parent, component, position
    ("KFR-35GW/BP", "CMP-R32-35", "室外机·压缩机"), ("KFR-35GW/BP", "MB-K35", "电控盒·主板"),
    ("NB-14PRO", "BAT-56WH", "电池仓"), ("NB-14PRO", "SSD-512G", "M.2 插槽"),
)
# family, SKU, share of the requested units (finished products), failure rate
FAMILIES = (
    ("ac", "KFR-35GW/BP", 0.15, 0.10), ("laptop", "NB-14PRO", 0.10, 0.10),
    ("pump", "IP-600", 0.12, 0.06), ("lock", "SL-X1", 0.10, 0.05),
)
FAULTS = {  # fault code, description, component to replace
    "ac": (("E1", "不制冷", None), ("E5", "压缩机过流保护", "CMP-R32-35"),
           ("F3", "主板通讯故障", "MB-K35"), ("P4", "室内机漏水", None)),
    "laptop": (("B01", "电池无法充电", "BAT-56WH"), ("S02", "硬盘无法识别", "SSD-512G"),
               ("D03", "屏幕闪烁", None), ("K04", "键盘部分按键失灵", None)),
    "pump": (("P01", "流速偏差超限", None), ("P02", "阻塞报警误报", None),
             ("P03", "电池续航不足", None)),
    "lock": (("L01", "指纹识别失败", None), ("L02", "电机卡滞", None)),
}
SUPPLIERS = (  # code, what they supply, name, area, place
    ("SUP-001", "CMP-R32-35", "常州恒力压缩机有限公司", 0, 3),
    ("SUP-002", "MB-K35", "深圳芯控电子有限公司", 1, 1),
    ("SUP-003", "BAT-56WH", "东莞锂能电池有限公司", 1, 2),
    ("SUP-004", "SSD-512G", "苏州存芯科技有限公司", 0, 3),
    ("SUP-005", "IP-600", "深圳康泰医疗器械有限公司", 1, 1),
    ("SUP-006", "SL-X1", "中山安居智能科技有限公司", 1, 2),
)
AREAS = (
    Area("E", "华东", "杭州市", (
        ("浙江省", "杭州市", "西湖区"), ("浙江省", "宁波市", "鄞州区"),
        ("江苏省", "南京市", "鼓楼区"), ("江苏省", "苏州市", "姑苏区"),
        ("上海市", "上海市", "浦东新区"), ("上海市", "上海市", "徐汇区"),
    )),
    Area("S", "华南", "广州市", (
        ("广东省", "广州市", "天河区"), ("广东省", "深圳市", "南山区"),
        ("广东省", "佛山市", "顺德区"), ("福建省", "厦门市", "思明区"),
    )),
    Area("N", "华北", "北京市", (
        ("北京市", "北京市", "朝阳区"), ("北京市", "北京市", "海淀区"),
        ("天津市", "天津市", "南开区"), ("河北省", "石家庄市", "长安区"),
        ("山东省", "青岛市", "市南区"),
    )),
    Area("W", "西南", "成都市", (
        ("四川省", "成都市", "武侯区"), ("四川省", "成都市", "锦江区"),
        ("重庆市", "重庆市", "渝中区"), ("云南省", "昆明市", "五华区"),
    )),
)
AREA_PROVINCE = {"E": "浙江省", "S": "广东省", "N": "北京市", "W": "四川省"}
DISTRIBUTORS = {
    "E": "杭州西子家电销售有限公司", "S": "广州粤华电器贸易有限公司",
    "N": "北京京华数码科技有限公司", "W": "成都蜀通电器有限公司",
}
HOSPITALS = (  # name, area, place
    ("浦江人民医院", 0, 4), ("钱塘中心医院", 0, 0), ("珠江医科大学附属医院", 1, 0),
    ("鹏城第二人民医院", 1, 1), ("京西医院", 2, 1), ("海河中心医院", 2, 2),
    ("锦城妇幼保健院", 3, 0), ("山城第一人民医院", 3, 2),
)
COMPANIES = (
    ("杭州云帆网络科技有限公司", 0, 0), ("深圳前海星链数据有限公司", 1, 1),
    ("北京中关村启明软件有限公司", 2, 1), ("成都天府数智科技有限公司", 3, 0),
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢"  # noqa: E501
GIVEN = (
    "伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
    "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "浩然", "子涵", "欣怡", "梓轩", "雨桐",
    "建国", "志强", "海燕", "晓东", "嘉怡", "思远", "文博", "佳琪",
)
STREETS = ("人民路", "建设路", "解放路", "中山路", "和平路", "新华路", "文化路", "滨江路", "学府路")
ROLE_NAMES = {
    "agent": ("王", "晓燕"), "dispatcher": ("李", "建华"), "engineer": ("张", "磊"),
    "warehouse": ("刘", "强"), "procurement": ("陈", "静"), "sales": ("杨", "帆"),
    "quality": ("黄", "志明"), "manager": ("赵", "海涛"), "auditor": ("周", "敏"),
    "admin": ("系统", "管理员"),
}
# fmt: on


@dataclass
class Family:
    """A finished product line: its SKU, components, faults and how it is sold."""

    key: str
    sku: SKU
    share: float  # of the requested units, for the finished products
    components: list[ComponentSpec] = field(default_factory=list)
    faults: tuple[tuple[str, str, str | None], ...] = ()  # code, text, component SKU code
    failure_rate: float = 0.08


# --- the seeder --------------------------------------------------------------------------


class _Seeder:
    def __init__(self, units: int, seed: int, now: datetime, log: Callable[[str], None]):
        self.total = units
        self.rng = random.Random(seed)
        self.now = now
        self.horizon = now - HOUR
        self.tz = timezone.get_current_timezone()
        self.log = log
        self.counters: dict[tuple[int, str], int] = {}
        self.doc_no = 0
        self.spares: dict[int, list[tuple[datetime, int, Warehouse]]] = {}
        self.stats = {"repairs": 0, "swaps": 0, "returned_units": 0, "recalled": 0}

    # helpers ----------------------------------------------------------------------------
    def doc(self, prefix: str, when: datetime) -> str:
        self.doc_no += 1
        return f"{prefix}{timezone.localtime(when, self.tz):%y%m%d}{self.doc_no:05d}"

    def at(self, day: date, hour: int = 9) -> datetime:
        return datetime.combine(day, time(hour, 0), tzinfo=self.tz)

    def days(self, low: float, high: float) -> timedelta:
        return timedelta(minutes=int(self.rng.uniform(low, high) * 24 * 60))

    def many(self, ids: list[int], kind: str, when: datetime, **data) -> bool:
        """One event for a group of units; False (nothing written) if ``when`` is future."""
        if not ids:
            return True
        if when > self.horizon:
            return False
        ledger.record_many(list(ids), EventData(kind, when=when, **data))
        return True

    def one(self, unit_id: int, kind: str, when: datetime, **data) -> bool:
        if when > self.horizon:
            return False
        ledger.record(unit_id, EventData(kind, when=when, **data))
        return True

    def phone(self) -> str:
        return "1" + self.rng.choice("3456789") + "".join(self.rng.choices("0123456789", k=9))

    def person(self) -> str:
        return self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)

    def street(self) -> str:
        return (
            f"{self.rng.choice(STREETS)}{self.rng.randint(1, 999)}号"
            f"{self.rng.randint(1, 30)}栋{self.rng.randint(1, 28)}{self.rng.randint(1, 4):02d}室"
        )

    # master data ------------------------------------------------------------------------
    def master_data(self) -> None:
        cat: dict[str, Category] = {}
        for key, name, parent in CATEGORIES:
            cat[key] = save_with_log(Category(name=name, parent=cat.get(parent)))
        skus: dict[str, SKU] = {}
        for code, name, category, gtin, pattern, months, start in SKUS:
            skus[code] = save_with_log(
                SKU(
                    code=code,
                    name=name,
                    category=cat[category],
                    gtin=normalize_gtin(gtin) if gtin else None,
                    serialized=bool(pattern),
                    serial_pattern=pattern,
                    enforce_pattern=category != "parts" and bool(pattern),
                    warranty_months=months,
                    warranty_start=start,
                )
            )
        self.sku_by_code = skus
        self.families = []
        for key, code, share, rate in FAMILIES:
            specs = [
                save_with_log(
                    ComponentSpec(parent=skus[code], component=skus[part], position=position)
                )
                for parent, part, position in COMPONENTS
                if parent == code
            ]
            self.families.append(Family(key, skus[code], share, specs, FAULTS[key], rate))

        party = self.party
        self.maker = party("MFR-001", Party.Kind.MANUFACTURER, "佛山示范电器制造有限公司", 1, 2)
        self.suppliers = {
            skus[sku].pk: party(code, Party.Kind.SUPPLIER, name, area, place)
            for code, sku, name, area, place in SUPPLIERS
        }
        self.distributors = {
            a.key: party(f"DST-{a.key}01", Party.Kind.DISTRIBUTOR, DISTRIBUTORS[a.key], i, 0)
            for i, a in enumerate(AREAS)
        }
        for a in AREAS:  # each distributor may sell in the provinces of its area
            for province in dict.fromkeys(place[0] for place in a.places):
                save_with_log(AuthorizedRegion(party=self.distributors[a.key], province=province))
        self.partner = party(
            "SVC-001", Party.Kind.SERVICE_PARTNER, "蓉城快修家电服务有限公司", 3, 1
        )
        self.hospitals: dict[str, list[Party]] = {a.key: [] for a in AREAS}
        for i, (name, area, place) in enumerate(HOSPITALS, 1):
            self.hospitals[AREAS[area].key].append(
                party(f"CUS-H{i:03d}", Party.Kind.CUSTOMER, name, area, place)
            )
        self.companies: dict[str, list[Party]] = {a.key: [] for a in AREAS}
        for i, (name, area, place) in enumerate(COMPANIES, 1):
            self.companies[AREAS[area].key].append(
                party(f"CUS-B{i:03d}", Party.Kind.CUSTOMER, name, area, place)
            )
        self.people: dict[str, list[Party]] = {a.key: [] for a in AREAS}
        for i in range(1, max(12, self.total // 20) + 1):
            area_no = self.rng.randrange(len(AREAS))
            place = self.rng.randrange(len(AREAS[area_no].places))
            person = party(
                f"CUS-{i:06d}", Party.Kind.CUSTOMER, self.person(), area_no, place, company=False
            )
            self.people[AREAS[area_no].key].append(person)

        def warehouse(code, name, level, parent, province, city, bins=()) -> Warehouse:
            w = save_with_log(
                Warehouse(
                    code=code, name=name, level=level, parent=parent, province=province, city=city
                )
            )
            for b in bins:
                save_with_log(Bin(warehouse=w, code=b))
            return w

        L = Warehouse.Level
        self.factory = warehouse(
            "FAC-FS", "佛山顺德总装工厂成品库", L.FACTORY, None, "广东省", "佛山市"
        )
        self.hq = warehouse(
            "HQ-SH",
            "上海总仓",
            L.HQ,
            None,
            "上海市",
            "上海市",
            bins=("A-01", "A-02", "A-03", "B-01", "B-02"),
        )
        self.hq_bins = list(Bin.objects.filter(warehouse=self.hq).order_by("code"))
        self.rdc: dict[str, Warehouse] = {}
        self.rdc_bins: dict[str, list[Bin]] = {}
        self.centres: dict[str, Warehouse] = {}
        self.vans: dict[str, Warehouse] = {}
        plates = {"E": "浙A·D2618", "S": "粤A·D1234", "N": "京B·F7788", "W": "川A·D6021"}
        for a in AREAS:
            where = (AREA_PROVINCE[a.key], a.city)
            r = warehouse(
                f"RDC-{a.key}",
                f"{a.name}区域仓（{a.city}）",
                L.REGIONAL,
                self.hq,
                *where,
                bins=("A-01", "A-02"),
            )
            self.rdc[a.key] = r
            self.rdc_bins[a.key] = list(Bin.objects.filter(warehouse=r).order_by("code"))
            sc = warehouse(f"SC-{a.key}", f"{a.city}服务中心", L.SERVICE_CENTRE, r, *where)
            self.centres[a.key] = sc
            van = f"工程师车载库（{plates[a.key]}）"
            self.vans[a.key] = warehouse(f"VAN-{a.key}01", van, L.VAN, sc, *where)

    def party(self, code, kind, name, area_no, place_no, company=True) -> Party:
        area = AREAS[area_no]
        province, city, district = area.places[place_no % len(area.places)]
        return save_with_log(
            Party(
                code=code,
                kind=kind,
                name=name,
                is_company=company,
                contact="" if not company else self.person(),
                phone=self.phone(),
                province=province,
                city=city,
                district=district,
                address=self.street(),
            )
        )

    def users(self) -> None:
        for role, password, _label in demo_logins():
            last, first = ROLE_NAMES.get(role, ("", role))
            create_user(
                role,
                password,
                role,
                last_name=last,
                first_name=first,
                email=f"{role}@demo.unitrace.local",
            )

    def scope_logins(self) -> None:
        """The distributor login acts for the distributor with the most units."""
        busiest = max(
            self.distributors.values(),
            key=lambda party: Unit.objects.filter(distributor=party).count(),
        )
        user = get_user_model().objects.filter(username="distributor").first()
        if user is not None:
            profile = Profile.objects.filter(user=user).first() or Profile(user=user)
            profile.party = busiest
            save_with_log(profile)

    # registration -----------------------------------------------------------------------
    def batch(
        self,
        sku: SKU,
        code: str,
        day: date,
        *,
        supplier=None,
        qc=Batch.QC.PASSED,
        factory: str = "",
        line: str = "",
        quantity: int = 0,
    ) -> Batch:
        return save_with_log(
            Batch(
                sku=sku,
                code=code,
                production_date=day,
                factory=factory,
                line=line,
                supplier=supplier,
                quantity=quantity,
                qc_status=qc,
            )
        )

    def register(
        self,
        sku: SKU,
        batch: Batch,
        count: int,
        when: datetime,
        *,
        warehouse=None,
        ref_type: str = "production",
        supplier_prefix: str = "",
    ) -> list[int]:
        pattern = sku.pattern
        day = batch.production_date
        if pattern.mode == "sequence":
            scope = pattern.scope_key(day, batch.code)
            first = self.counters.get((sku.pk, scope), 0) + 1
            serials = pattern.render_many(first, count, day, batch.code)
            self.counters[(sku.pk, scope)] = first + count - 1
        else:
            serials = pattern.render_many(0, count, day, batch.code)
        items = [
            NewUnit(
                s, f"{supplier_prefix}{day:%y%m}{i:07d}" if supplier_prefix else "", batch.pk, day
            )
            for i, s in enumerate(serials, 1)
        ]
        register_units(
            sku, items, warehouse=warehouse, when=when, ref_type=ref_type, ref_id=batch.code
        )
        return list(Unit.objects.filter(batch=batch).order_by("pk").values_list("pk", flat=True))

    def save_counters(self) -> None:
        for (sku_id, scope), value in self.counters.items():
            counter, _created = SerialCounter.objects.get_or_create(sku_id=sku_id, scope=scope)
            if counter.last_value < value:
                counter.last_value = value
                counter.save(update_fields=["last_value"])

    # spare parts ------------------------------------------------------------------------
    def spare_parts(self) -> None:
        components = [s.component for f in self.families for s in f.components]
        per_sku = max(2, int(self.total * 0.03 / len(components)))
        first_day = timezone.localdate(self.now) - timedelta(days=740)
        for sku in components:
            self.spares[sku.pk] = []
            waves = (first_day, first_day + timedelta(days=360))
            for wave, day in enumerate(waves, 1):
                count = per_sku // 2 if wave == 1 else per_sku - per_sku // 2
                b = self.batch(
                    sku,
                    f"SP{day:%y%m}{wave}",
                    day,
                    supplier=self.suppliers[sku.pk],
                    quantity=count,
                    factory="供应商工厂",
                )
                t = self.at(day, 10)
                ids = self.register(sku, b, count, t, ref_type="asn", supplier_prefix="SP")
                t += 2 * DAY
                self.many(
                    ids,
                    EventType.RECEIVED,
                    t,
                    warehouse=self.hq,
                    bin=self.hq_bins[-1],
                    ref_type="receipt",
                    ref_id=self.doc("RK", t),
                )
                for k, a in enumerate(AREAS):
                    part = ids[k :: len(AREAS)]
                    t1 = t + 3 * DAY + k * HOUR
                    sc = self.centres[a.key]
                    self.many(
                        part,
                        EventType.TRANSFER_OUT,
                        t1,
                        details={"to_warehouse_id": sc.pk},
                        ref_type="transfer",
                        ref_id=self.doc("DB", t1),
                    )
                    t2 = t1 + 2 * DAY
                    self.many(part, EventType.TRANSFER_IN, t2, warehouse=sc)
                    van_part = part[:1]
                    if van_part:
                        t3 = t2 + 2 * DAY
                        van = self.vans[a.key]
                        self.many(
                            van_part,
                            EventType.TRANSFER_OUT,
                            t3,
                            details={"to_warehouse_id": van.pk},
                            ref_type="transfer",
                            ref_id=self.doc("DB", t3),
                        )
                        self.many(van_part, EventType.TRANSFER_IN, t3 + 4 * HOUR, warehouse=van)
                        self.spares[sku.pk].append((t3 + 4 * HOUR, van_part[0], van))
                    self.spares[sku.pk].extend((t2, uid, sc) for uid in part[1:])
            self.spares[sku.pk].sort(key=lambda s: s[0])

    def take_spare(self, sku_code: str, when: datetime, area_key: str) -> int | None:
        """A spare part in stock by ``when``, from the area's service centre or van if any."""
        pool = self.spares.get(self.sku_by_code[sku_code].pk, [])
        local = {self.centres[area_key].pk, self.vans[area_key].pk}
        ready = [i for i, (available, _uid, place) in enumerate(pool) if available <= when]
        if not ready:
            return None
        i = next((i for i in ready if pool[i][2].pk in local), ready[0])
        return pool.pop(i)[1]

    # finished products ------------------------------------------------------------------
    def products(self) -> None:
        today = timezone.localdate(self.now)
        for fam in self.families:
            count = max(8, int(self.total * fam.share))
            n_batches = max(2, round(count / 100))
            sizes = [
                count // n_batches + (1 if i < count % n_batches else 0) for i in range(n_batches)
            ]
            span = 715
            failed_no = 1 if fam.key == "ac" and n_batches > 2 else None
            held_no = n_batches - 2 if fam.key == "pump" and n_batches > 3 else None
            recall_no = 1 if fam.key == "pump" and n_batches > 2 else None
            for no, size in enumerate(sizes):
                offset = span - int(span * no / max(1, n_batches - 1))
                offset = max(2, offset - self.rng.randint(0, 8))
                day = today - timedelta(days=offset)
                qc = Batch.QC.PASSED
                if no == failed_no:
                    qc = Batch.QC.FAILED
                elif no == held_no:
                    qc = Batch.QC.ON_HOLD
                elif offset < 5:
                    qc = Batch.QC.PENDING
                line = f"L{self.rng.randint(1, 4)}"
                b = self.batch(
                    fam.sku,
                    f"{fam.sku.code.split('-')[0]}{day:%y%m%d}{line}",
                    day,
                    supplier=self.suppliers.get(fam.sku.pk, self.maker),
                    qc=qc,
                    factory="佛山顺德工厂",
                    line=line,
                    quantity=size,
                )
                self.finished_batch(fam, b, size, recall=no == recall_no)
            self.log(f"  {fam.sku.code}: {count} units in {n_batches} batches")

    def finished_batch(self, fam: Family, batch: Batch, size: int, *, recall: bool) -> None:
        t0 = self.at(batch.production_date, 8)
        parts: list[tuple[ComponentSpec, list[int]]] = []
        for spec in fam.components:
            comp = spec.component
            day = batch.production_date - timedelta(days=12)
            cb = self.batch(
                comp,
                f"{day:%y%m%d}{batch.line}",
                day,
                supplier=self.suppliers[comp.pk],
                quantity=size,
                factory="供应商工厂",
            )
            ct = self.at(day, 10)
            cids = self.register(comp, cb, size, ct, ref_type="asn", supplier_prefix="V")
            ct += 5 * DAY
            self.many(
                cids,
                EventType.RECEIVED,
                ct,
                warehouse=self.factory,
                ref_type="receipt",
                ref_id=self.doc("RK", ct),
            )
            parts.append((spec, cids))
        ids = self.register(fam.sku, batch, size, t0, warehouse=self.factory)
        if parts:
            parents = {u.pk: u for u in Unit.objects.filter(pk__in=ids).select_related("sku")}
            for spec, cids in parts:
                comps = Unit.objects.filter(pk__in=cids).select_related("sku").order_by("pk")
                for k, (pid, comp) in enumerate(zip(ids, comps, strict=True)):
                    genealogy.install_component(
                        parents[pid],
                        comp,
                        when=t0 + HOUR + k * timedelta(seconds=30),
                        position=spec.position,
                        ref_type="assembly",
                        ref_id=batch.code,
                    )
        t = t0 + self.days(1.5, 3)
        if not self.many(
            ids,
            EventType.RECEIVED,
            t,
            warehouse=self.hq,
            bin=self.rng.choice(self.hq_bins),
            ref_type="receipt",
            ref_id=self.doc("RK", t),
        ):
            return
        if batch.qc_status == Batch.QC.FAILED:
            bad = ids[: max(1, len(ids) // 8)]
            ids = ids[len(bad) :]
            self.many(
                bad,
                EventType.QUARANTINED,
                t + 2 * HOUR,
                notes="出厂抽检不合格",
                ref_type="qc",
                ref_id=batch.code,
            )
            self.many(
                bad,
                EventType.SCRAPPED,
                t + 20 * DAY,
                notes="抽检不合格，报废处理",
                ref_type="qc",
                ref_id=batch.code,
            )
        if batch.qc_status == Batch.QC.ON_HOLD:
            self.many(
                ids,
                EventType.QUARANTINED,
                t + 2 * HOUR,
                notes="批次质量待定，暂停发货",
                ref_type="qc",
                ref_id=batch.code,
            )
            return
        field_units: list[tuple[int, datetime, str, Party | None]] = []
        start = 0
        while start < len(ids):
            lot = ids[start : start + self.rng.randint(12, 40)]
            start += len(lot)
            area = self.rng.choice(AREAS)
            t1 = t + self.days(2, 45)
            if self.rng.random() < 0.25:  # shipped straight from the HQ warehouse
                field_units.extend(getattr(self, f"sell_{fam.key}")(lot, area, t1))
                continue
            rdc = self.rdc[area.key]
            doc = self.doc("DB", t1)
            to = {"to_warehouse_id": rdc.pk}
            if not self.many(lot, EventType.TRANSFER_OUT, t1, details=to, ref_type="transfer",
                             ref_id=doc):  # fmt: skip
                continue
            t2 = t1 + self.days(1.5, 4)
            if not self.many(lot, EventType.TRANSFER_IN, t2, warehouse=rdc, ref_type="transfer",
                             ref_id=doc, bin=self.rng.choice(self.rdc_bins[area.key])):  # fmt: skip
                continue
            if self.rng.random() < 0.08:  # kept in regional stock, moved to another bin
                tm = t2 + self.days(1, 10)
                if self.many(
                    lot, EventType.MOVED, tm, warehouse=rdc, bin=self.rdc_bins[area.key][0]
                ):
                    self.stocktake(lot[-1], rdc, tm + self.days(20, 90))
                continue
            field_units.extend(getattr(self, f"sell_{fam.key}")(lot, area, t2))
        if recall:
            self.recall(fam, batch, field_units)
            return
        for uid, since, key, _customer in field_units:
            self.after_sales(fam, uid, since, key)

    def stocktake(self, uid: int, warehouse: Warehouse, when: datetime) -> None:
        """A stocktake misses a unit; a later recount sometimes finds it."""
        if self.rng.random() >= 0.5:
            return
        doc = self.doc("PD", when)
        missing = self.one(uid, EventType.MISSING, when, notes="盘点未找到", ref_type="stocktake",
                           ref_id=doc)  # fmt: skip
        if missing and self.rng.random() < 0.5:
            self.one(uid, EventType.FOUND, when + self.days(1, 10), warehouse=warehouse,
                     notes="复盘时在其他库位找到", ref_type="stocktake", ref_id=doc)  # fmt: skip

    def ship_deliver(self, lot: list[int], party: Party, when: datetime) -> datetime | None:
        if not self.many(
            lot,
            EventType.SHIPPED,
            when,
            party=party,
            ref_type="shipment",
            ref_id=self.doc("CK", when),
        ):
            return None
        t = when + self.days(1, 3)
        if not self.many(
            lot, EventType.DELIVERED, t, party=party, ref_type="delivery", ref_id=self.doc("XS", t)
        ):
            return None
        return t

    def region_of(self, area: Area, place: tuple[str, str, str] | None = None) -> str:
        if self.rng.random() < 0.03:  # turned up outside its distributor's area (窜货)
            area = self.rng.choice([a for a in AREAS if a is not area])
            place = None
        place = place or self.rng.choice(area.places)
        return "/".join(place)

    def groups(self, lot: list[int], low: int, high: int):
        start = 0
        while start < len(lot):
            size = self.rng.randint(low, high)
            yield lot[start : start + size]
            start += size

    def customer(self, area: Area) -> Party:
        local = self.people[area.key] or [p for ps in self.people.values() for p in ps]
        return self.rng.choice(local)

    def retail(self, uid: int, area: Area, when: datetime) -> tuple[Party, datetime] | None:
        customer = self.customer(area)
        if not self.one(
            uid,
            EventType.DELIVERED,
            when,
            party=customer,
            ref_type="delivery",
            ref_id=self.doc("XS", when),
        ):
            return None
        return customer, when

    def sell_ac(self, lot, area, t):
        out = []
        if self.rng.random() < 0.6:
            delivered = self.ship_deliver(lot, self.distributors[area.key], t + self.days(1, 10))
            if delivered is None:
                return out
            for group in self.groups(lot, 1, 3):
                ti = delivered + self.days(3, 150)
                if not self.many(
                    group,
                    EventType.INSTALLED,
                    ti,
                    ref_type="installation",
                    ref_id=self.doc("AZ", ti),
                    notes="经销商安装",
                ):
                    continue
                if self.rng.random() < 0.8:
                    self.many(group, EventType.ACTIVATED, ti + HOUR, region=self.region_of(area))
                out.extend((uid, ti + HOUR, area.key, None) for uid in group)
            return out
        tc = t
        for uid in lot:
            tc = tc + self.days(0.2, 6)
            sold = self.retail(uid, area, tc)
            if sold is None:
                break
            customer, when = sold
            ti = when + self.days(1, 5)
            if not self.one(
                uid,
                EventType.INSTALLED,
                ti,
                ref_type="installation",
                ref_id=self.doc("AZ", ti),
                region=customer_region(customer),
            ):
                continue
            self.one(uid, EventType.ACTIVATED, ti + HOUR, region=customer_region(customer))
            out.append((uid, ti + HOUR, area.key, customer))
        return out

    def sell_laptop(self, lot, area, t):
        out = []
        channel = self.rng.random()
        if channel < 0.5:
            delivered = self.ship_deliver(lot, self.distributors[area.key], t + self.days(1, 7))
            if delivered is None:
                return out
            return self.channel_sales(lot, area, delivered, 2, 120, 0.75)
        if channel < 0.75 and self.companies[area.key]:
            company = self.rng.choice(self.companies[area.key])
            delivered = self.ship_deliver(lot, company, t + self.days(2, 20))
            if delivered is None:
                return out
            ta = delivered + self.days(1, 4)
            place = (company.province, company.city, company.district)
            if self.many(lot, EventType.ACTIVATED, ta, region="/".join(place)):
                out.extend((uid, ta, area.key, company) for uid in lot)
            return out
        tc = t
        for uid in lot:
            tc = tc + self.days(0.5, 8)
            sold = self.retail(uid, area, tc)
            if sold is None:
                break
            customer, when = sold
            if self.rng.random() < 0.1:  # returned within seven days (七天无理由退货)
                tr = when + self.days(1, 6)
                sc = self.centres[area.key]
                if self.one(
                    uid,
                    EventType.RETURNED,
                    tr,
                    warehouse=sc,
                    notes="七天无理由退货",
                    ref_type="return",
                    ref_id=self.doc("TH", tr),
                ):
                    self.stats["returned_units"] += 1
                    self.one(uid, EventType.RECEIVED, tr + DAY, warehouse=sc, notes="退货验收入库")
                continue
            ta = when + self.days(0, 2)
            if self.rng.random() < 0.85 and self.one(
                uid, EventType.ACTIVATED, ta, region=customer_region(customer)
            ):
                out.append((uid, ta, area.key, customer))
            else:
                out.append((uid, when, area.key, customer))
        return out

    def sell_pump(self, lot, area, t):
        hospital = self.rng.choice(self.hospitals[area.key])
        delivered = self.ship_deliver(lot, hospital, t + self.days(2, 25))
        if delivered is None:
            return []
        ti = delivered + self.days(1, 5)
        if not self.many(
            lot,
            EventType.INSTALLED,
            ti,
            ref_type="installation",
            ref_id=self.doc("AZ", ti),
            notes="医院设备科验收安装",
        ):
            return [(uid, delivered, area.key, hospital) for uid in lot]
        return [(uid, ti, area.key, hospital) for uid in lot]

    def sell_lock(self, lot, area, t):
        delivered = self.ship_deliver(lot, self.distributors[area.key], t + self.days(1, 10))
        if delivered is None:
            return []
        return self.channel_sales(lot, area, delivered, 5, 200, 0.85)

    def channel_sales(self, lot, area, delivered, low, high, activate):
        """Units a distributor holds: sold on to consumers and activated, in small groups."""
        out = []
        for group in self.groups(lot, 1, 5):
            ta = delivered + self.days(low, high)
            roll = self.rng.random()
            if roll < 0.3:  # the distributor reports each sale (sell-through)
                for uid in group:
                    customer = self.customer(area)
                    if not self.one(
                        uid,
                        EventType.SOLD_THROUGH,
                        ta,
                        party=customer,
                        ref_type="sell_through",
                        ref_id=self.doc("FX", ta),
                    ):
                        out.append((uid, delivered, area.key, None))
                    elif self.one(
                        uid, EventType.ACTIVATED, ta + HOUR, region=customer_region(customer)
                    ):
                        out.append((uid, ta + HOUR, area.key, customer))
                    else:
                        out.append((uid, ta, area.key, customer))
            elif roll < activate and self.many(
                group, EventType.ACTIVATED, ta, region=self.region_of(area)
            ):
                out.extend((uid, ta, area.key, None) for uid in group)
            else:
                out.extend((uid, delivered, area.key, None) for uid in group)
        return out

    # after-sales ------------------------------------------------------------------------
    def after_sales(self, fam: Family, uid: int, since: datetime, area_key: str) -> None:
        sc = self.centres[area_key]
        t = since
        if fam.key == "pump":  # yearly preventive maintenance at the hospital
            tm = t + self.days(330, 380)
            if self.one(
                uid,
                EventType.SERVICED,
                tm,
                details={"kind": "preventive"},
                notes="年度预防性维护",
                ref_type="maintenance",
                ref_id=self.doc("BY", tm),
            ):
                t = tm
        for visit in range(2):
            rate = fam.failure_rate if visit == 0 else 0.25
            if self.rng.random() >= rate:
                return
            ts = t + self.days(10 if visit == 0 else 5, 400 if visit == 0 else 90)
            code, text, part = self.rng.choice(fam.faults)
            wo = self.doc("WO", ts)
            detail = {"fault_code": code, "fault": text}
            if not self.one(
                uid,
                EventType.SERVICE_IN,
                ts,
                warehouse=sc,
                details=detail,
                notes=text,
                ref_type="work_order",
                ref_id=wo,
            ):
                return
            self.stats["repairs"] += 1
            tr = ts + self.days(0.2, 3)
            if tr > self.horizon:
                return  # still in the service centre
            if part and self.rng.random() < 0.85:
                spare = self.take_spare(part, tr, area_key)
                old = (
                    ComponentLink.objects.filter(
                        parent_id=uid, component__sku__code=part, removed_at__isnull=True
                    )
                    .select_related("component")
                    .first()
                )
                if spare and old:
                    genealogy.replace_component(
                        Unit.objects.get(pk=uid),
                        old.component,
                        Unit.objects.get(pk=spare),
                        when=tr,
                        warehouse=sc,
                        ref_type="work_order",
                        ref_id=wo,
                        notes=f"{text}，更换{self.sku_by_code[part].name}",
                    )
                    self.stats["swaps"] += 1
                    if self.rng.random() < 0.6:  # the faulty part is scrapped after inspection
                        self.one(
                            old.component_id,
                            EventType.SCRAPPED,
                            tr + self.days(10, 40),
                            notes="故障件检测后报废",
                            ref_type="work_order",
                            ref_id=wo,
                        )
            if fam.key == "laptop" and visit == 0 and self.rng.random() < 0.1:
                if self.one(
                    uid,
                    EventType.RETURNED,
                    tr,
                    warehouse=sc,
                    notes="维修后客户退机",
                    ref_type="return",
                    ref_id=self.doc("TH", tr),
                ):
                    self.stats["returned_units"] += 1
                    self.one(uid, EventType.SCRAPPED, tr + self.days(5, 30), notes="退机报废")
                return
            if not self.one(
                uid,
                EventType.REPAIRED,
                tr,
                details=detail,
                notes=f"{text}：已修复",
                ref_type="work_order",
                ref_id=wo,
            ):
                return
            t = tr

    def recall(self, fam: Family, batch: Batch, field_units) -> None:
        ids = [uid for uid, *_rest in field_units]
        if not ids:
            return
        last = Unit.objects.filter(batch=batch).aggregate(m=Max("last_event_at"))["m"]
        when = last + 3 * DAY
        if when > self.horizon - 20 * DAY:
            for uid, since, key, _customer in field_units:
                self.after_sales(fam, uid, since, key)
            return
        code = f"RC{timezone.localtime(when, self.tz):%y%m}-{batch.code}"
        in_field = list(
            Unit.objects.filter(pk__in=ids, status__in=IN_FIELD_GROUP).values_list("pk", flat=True)
        )
        note = "流速传感器批次缺陷，主动召回"
        self.many(in_field, EventType.RECALLED, when, notes=note, ref_type="recall", ref_id=code)
        self.stats["recalled"] += len(in_field)
        stock = list(
            Unit.objects.filter(batch=batch, status=Status.IN_STOCK).values_list("pk", flat=True)
        )
        self.many(stock, EventType.BLOCKED, when, notes=note, ref_type="recall", ref_id=code)
        area_of = {uid: key for uid, _s, key, _c in field_units}
        for uid in in_field:
            if self.rng.random() >= 0.7:
                continue
            ts = when + self.days(2, 15)
            sc = self.centres[area_of[uid]]
            wo = self.doc("WO", ts)
            if self.one(
                uid,
                EventType.SERVICE_IN,
                ts,
                warehouse=sc,
                ref_type="work_order",
                ref_id=wo,
                details={"recall": code},
                notes="召回检修",
            ):
                self.one(
                    uid,
                    EventType.REPAIRED,
                    ts + self.days(0.5, 2),
                    ref_type="work_order",
                    ref_id=wo,
                    details={"recall": code},
                    notes="更换流速传感器，召回完成",
                )


def customer_region(customer: Party) -> str:
    return "/".join(p for p in (customer.province, customer.city, customer.district) if p)


@dataclass(frozen=True)
class DemoResult:
    units: int
    events: int
    links: int
    seconds: float
    statuses: dict[str, int]
    stats: dict[str, int]


# the manufacturer the public pages, labels and delivery notes speak for
DEMO_COMPANY = {
    "name": "华研智造科技有限公司",
    "address": "上海市浦东新区张江路 88 号",
    "hotline": "400-820-8888",
    "website": "https://www.example.com",
}


def seed_demo(
    *,
    units: int = DEFAULT_UNITS,
    seed: int = 2026,
    now: datetime | None = None,
    log: Callable[[str], None] | None = None,
) -> DemoResult:
    """Load the demo company with about ``units`` units (all or nothing)."""
    started = clock.monotonic()
    log = log or (lambda _msg: None)
    seeder = _Seeder(units, seed, now or timezone.now(), log)
    with acting_as(Actor(username="demo", source="command")), transaction.atomic():
        log("Master data and logins...")
        save_company(values=DEMO_COMPANY)
        seeder.master_data()
        seeder.users()
        log("Spare parts...")
        seeder.spare_parts()
        log("Products, with their histories...")
        seeder.products()
        seeder.scope_logins()
        log("Documents: orders, deliveries, returns, transfers, stocktakes...")
        documents = DocumentSeeder(seeder).run()
        log("After-sales: fault codes and this fortnight's work orders...")
        service = ServiceSeeder(FAULTS, seeder.horizon, seed).run()
        seeder.save_counters()
    statuses = dict(Unit.objects.values_list("status").annotate(n=Count("id")).order_by("status"))
    return DemoResult(
        units=Unit.objects.count(),
        events=UnitEvent.objects.count(),
        links=ComponentLink.objects.count(),
        seconds=clock.monotonic() - started,
        statuses=statuses,
        stats={**seeder.stats, **asdict(documents), **asdict(service)},
    )
