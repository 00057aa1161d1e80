"""Demo after-sales work: a fault taxonomy and the work orders of the last two weeks.

The units' older repairs are history in the ledger (written by the product seeder). The
work orders made here are today's queue: opened through ``open_work_order`` from every
channel and moved through ``transition``, the paths real work takes, so they carry
entitlement, flags, transitions and (for repairs that reached the bench) ledger steps.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model

from unitrace.parties.models import Party
from unitrace.serials.models import Unit
from unitrace.serials.statuses import IN_FIELD_GROUP
from unitrace.service.models import FaultCategory, FaultCode, WorkOrder
from unitrace.service.states import Channel, Mode, Priority
from unitrace.service.workorders import Intake, WorkOrderRefused, open_work_order, transition

# category code, Chinese name, English name
CATEGORIES = (
    ("COOL", "制冷制热", "Cooling and heating"),
    ("ELEC", "电气电控", "Electrics and controls"),
    ("LEAK", "漏水", "Leaks"),
    ("POWER", "电池电源", "Battery and power"),
    ("STORE", "存储", "Storage"),
    ("SCREEN", "显示", "Display"),
    ("INPUT", "输入", "Input"),
    ("FLOW", "输液精度", "Infusion accuracy"),
    ("ALARM", "报警", "Alarms"),
    ("MECH", "机械", "Mechanics"),
    ("SENSE", "识别", "Recognition"),
)
# the product seeder's fault codes, by category, with English names
CODES = {
    "E1": ("COOL", "Not cooling"),
    "E5": ("ELEC", "Compressor over-current protection"),
    "F3": ("ELEC", "Control board communication fault"),
    "P4": ("LEAK", "Indoor unit leaking"),
    "B01": ("POWER", "Battery does not charge"),
    "S02": ("STORE", "Drive not recognised"),
    "D03": ("SCREEN", "Screen flickers"),
    "K04": ("INPUT", "Some keys do not work"),
    "P01": ("FLOW", "Flow rate out of tolerance"),
    "P02": ("ALARM", "False occlusion alarm"),
    "P03": ("POWER", "Short battery life"),
    "L01": ("SENSE", "Fingerprint not recognised"),
    "L02": ("MECH", "Motor jams"),
}
# where each demo work order stops: the actions after opening, in order
PATHS: tuple[tuple[str, ...], ...] = (
    (),
    (),
    ("assign",),
    ("assign", "accept"),
    ("assign", "accept", "start_travel"),
    ("assign", "accept", "arrive"),
    ("assign", "accept", "arrive", "wait_parts"),
    ("wait_customer",),
    ("assign", "accept", "arrive", "resolve"),
    ("assign", "accept", "arrive", "resolve", "close"),
    ("assign", "accept", "arrive", "resolve", "close"),
    ("cancel",),
)
REASONS = {
    "wait_parts": "压缩机缺货，已申请备件",
    "wait_customer": "客户出差，约下周上门",
    "cancel": "客户自行解决，取消报修",
    "resolve": "已修复，试机正常",
}
CHANNELS = (Channel.PUBLIC_PAGE, Channel.AGENT, Channel.AGENT, Channel.API)
PRIORITIES = (Priority.NORMAL, Priority.NORMAL, Priority.NORMAL, Priority.HIGH, Priority.URGENT)


@dataclass
class ServiceStats:
    fault_codes: int = 0
    work_orders: int = 0
    open_work_orders: int = 0


class ServiceSeeder:
    """Builds the taxonomy, then ``count`` work orders on units customers hold."""

    def __init__(self, faults: dict, now: datetime, seed: int, count: int = 36) -> None:
        self.faults = faults
        self.now = now
        self.rng = random.Random(seed)
        self.count = count
        self.stats = ServiceStats()
        users = get_user_model().objects
        self.users = {u.username: u for u in users.filter(username__in=("agent", "engineer"))}

    def run(self) -> ServiceStats:
        codes = self.taxonomy()
        units = list(
            Unit.objects.filter(
                status__in=IN_FIELD_GROUP,
                holder__kind=Party.Kind.CUSTOMER,
                sku__code__in=self._skus_with_faults(),
                # the ledger takes a unit's events in time order: none after the job opens
                last_event_at__lt=self.now - timedelta(days=15),
            )
            .select_related("sku", "holder")
            .order_by("-last_event_at")[: self.count * 3]
        )
        self.rng.shuffle(units)
        for i, unit in enumerate(units[: self.count]):
            self.work_order(i, unit, codes)
        self.stats.open_work_orders = WorkOrder.objects.exclude(
            state__in=("closed", "cancelled")
        ).count()
        return self.stats

    def taxonomy(self) -> dict[str, FaultCode]:
        categories = {
            code: FaultCategory.objects.create(code=code, name_zh=zh, name_en=en)
            for code, zh, en in CATEGORIES
        }
        codes: dict[str, FaultCode] = {}
        for family in self.faults.values():
            for code, text, _part in family:
                category, english = CODES[code]
                codes[code] = FaultCode.objects.create(
                    category=categories[category], code=code, name_zh=text, name_en=english
                )
        self.stats.fault_codes = len(codes)
        return codes

    def _skus_with_faults(self) -> list[str]:
        return ["KFR-35GW/BP", "NB-14PRO", "IP-600", "SL-X1"]

    def _family_codes(self, unit: Unit) -> list[str]:
        family = {"KFR-35GW/BP": "ac", "NB-14PRO": "laptop", "IP-600": "pump", "SL-X1": "lock"}
        return [code for code, _text, _part in self.faults[family[unit.sku.code]]]

    def work_order(self, i: int, unit: Unit, codes: dict[str, FaultCode]) -> None:
        customer = unit.holder
        opened = self.now - timedelta(days=self.rng.uniform(0.2, 14))
        fault = codes[self.rng.choice(self._family_codes(unit))]
        address = "".join(
            p for p in (customer.province, customer.city, customer.district, customer.address) if p
        )
        channel = CHANNELS[i % len(CHANNELS)]
        start = (opened + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
        data = Intake(
            contact_name=customer.contact or customer.name,
            contact_phone=customer.phone or "13800000000",
            priority=self.rng.choice(PRIORITIES),
            mode=Mode.ON_SITE if unit.sku.code != "NB-14PRO" else Mode.CARRY_IN,
            unit=unit,
            customer=customer,
            address=address,
            window_start=start,
            window_end=start + timedelta(hours=3),
            fault_code=fault,
            description=f"{fault.name_zh}，请尽快安排",
        )
        user = self.users.get("agent") if channel == Channel.AGENT else None
        order = open_work_order(data, channel=channel, user=user, when=opened)
        self.stats.work_orders += 1
        when = opened
        engineer = self.users.get("engineer")
        for action in PATHS[i % len(PATHS)]:
            when = when + timedelta(hours=self.rng.uniform(0.3, 6))
            if when >= self.now:
                break
            try:
                transition(
                    order,
                    action,
                    user=engineer if action not in ("assign", "cancel") else user,
                    when=when,
                    reason=REASONS.get(action, ""),
                    assignee=engineer if action == "assign" else None,
                )
            except WorkOrderRefused:
                break  # the unit's ledger says no (e.g. it moved on): the order stays here
