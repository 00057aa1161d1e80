"""The demo's current paperwork, made through each app's service functions.

The unit histories of ``seed`` are written straight to the ledger, with document
numbers on the events but no document rows, so the lists of purchase orders, sales
orders, deliveries, returns, transfers, stocktakes and diversion alerts would be empty.
This module adds the documents a newcomer expects to find open on a working day, each
through the service the pages call (``procurement.orders``, ``receiving_bulk``,
``sales.delivery``, ``service.returns``, ``inventory.transfers`` ...), so every rule
those services keep holds for the demo too: goods come in on purchase orders, leave on
sales orders, come back on returns, move on transfers and are counted in stocktakes.

Documents are dated now (the services stamp the moment they run); purchase orders carry
order dates of the last weeks. Quantities are fixed and small, so the step takes a few
seconds whatever the size of the demo.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from unitrace.authenticity.diversion import check_diversion, record_event, set_alert_status
from unitrace.authenticity.inputs import parse_region
from unitrace.authenticity.models import DiversionAlert
from unitrace.catalog.models import SKU
from unitrace.core.audit import save_with_log
from unitrace.inventory import parts as spare_parts
from unitrace.inventory.alerts import check_min_stock
from unitrace.inventory.holds import hold_units
from unitrace.inventory.models import MinStock
from unitrace.inventory.stocktakes import close_stocktake, open_stocktake, scan_many
from unitrace.inventory.transfers import create_transfer, dispatch_transfer, receive_units
from unitrace.parties.models import Party
from unitrace.procurement import orders as purchasing
from unitrace.procurement.receipts import REF_TYPE as PO_REF_TYPE
from unitrace.procurement.receipts import close_receipt, open_receipt
from unitrace.procurement.receiving_bulk import receive_codes
from unitrace.sales.delivery import deliver_order
from unitrace.sales.models import SalesChannel, SalesOrder
from unitrace.sales.orders import cancel_order, create_order
from unitrace.sales.scanning import rows_from_text
from unitrace.serials.ledger import EventData
from unitrace.serials.models import Unit, UnitEvent
from unitrace.serials.statuses import EventType, Status
from unitrace.service.models import InspectionResult as R
from unitrace.service.returns import create_return, exchange_unit

CHANNELS = (  # code, name, kind
    ("JD", "京东旗舰店", SalesChannel.Kind.ECOMMERCE),
    ("TMALL", "天猫官方旗舰店", SalesChannel.Kind.ECOMMERCE),
    ("DEALER", "区域经销渠道", SalesChannel.Kind.DEALER),
    ("PROJECT", "医院与企业项目", SalesChannel.Kind.PROJECT),
)
ROLE_USERS = ("agent", "procurement", "sales", "warehouse")  # who made the documents
# regions outside the east-China distributor's provinces, where its units turn up
FOREIGN_REGIONS = ("广东省/深圳市/南山区", "北京市/北京市/朝阳区", "四川省/成都市/武侯区")


@dataclass
class DocumentStats:
    """How many documents of each kind were made (printed by ``seed_demo``)."""

    purchase_orders: int = 0
    sales_orders: int = 0
    deliveries: int = 0
    returns: int = 0
    exchanges: int = 0
    transfers: int = 0
    stocktakes: int = 0
    held: int = 0
    diversion_alerts: int = 0
    part_moves: int = 0


class DocumentSeeder:
    """Builds the documents on top of the master data and units ``seeder`` made."""

    def __init__(self, seeder) -> None:
        self.s = seeder
        self.stats = DocumentStats()
        users = get_user_model().objects
        self.user = {u.username: u for u in users.filter(username__in=ROLE_USERS)}
        self.channels: dict[str, SalesChannel] = {}

    def run(self) -> DocumentStats:
        self.channels = {
            code: save_with_log(SalesChannel(code=code, name=name, kind=kind))
            for code, name, kind in CHANNELS
        }
        stock = self.purchasing()
        sold = self.selling(stock)
        self.returning(sold, stock)
        self.diversion(sold)
        self.moving(stock)
        self.holding(stock)
        self.counting()
        self.parts()
        return self.stats

    # helpers ----------------------------------------------------------------------------
    def sku(self, code: str) -> SKU:
        return self.s.sku_by_code[code]

    def serials(self, sku: SKU, count: int, day: date) -> list[str]:
        """New serials by the SKU's rule, continuing the seed's sequence counters."""
        pattern = sku.pattern
        if pattern.mode != "sequence":
            return pattern.render_many(0, count, day, "")
        scope = pattern.scope_key(day, "")
        first = self.s.counters.get((sku.pk, scope), 0) + 1
        self.s.counters[(sku.pk, scope)] = first + count - 1
        return pattern.render_many(first, count, day, "")

    def received_on(self, order) -> list[Unit]:
        """The units received on purchase order ``order`` and still in stock, in order."""
        received = UnitEvent.objects.filter(
            type=EventType.RECEIVED, ref_type=PO_REF_TYPE, ref_id=order.number
        ).values("unit_id")
        return list(Unit.objects.filter(pk__in=received, status=Status.IN_STOCK).order_by("pk"))

    # purchase orders and goods receipt --------------------------------------------------
    def purchase(
        self, sku_code: str, quantity: int, price: str, days_ago: int, *, receive: int = 0
    ):
        """An order to the SKU's supplier, opened and partly or fully received by scan."""
        sku = self.sku(sku_code)
        today = timezone.localdate()
        order = purchasing.create_order(
            self.s.suppliers[sku.pk],
            [purchasing.LineInput(sku, quantity, Decimal(price), today + timedelta(days=5))],
            warehouse=self.s.hq,
            order_date=today - timedelta(days=days_ago),
            notes="示范数据：月度补货",
            user=self.user["procurement"],
        )
        self.stats.purchase_orders += 1
        if receive:
            purchasing.open_order(order)
            receipt = open_receipt(order, self.s.hq, self.user["warehouse"])
            result = receive_codes(receipt, self.serials(sku, receive, today), sku=sku)
            if result.accepted != receive:
                raise RuntimeError(f"demo receipt of {order.number} refused units")
            close_receipt(receipt)
        return order

    def purchasing(self) -> dict[str, list[Unit]]:
        """Orders in every state; returns the units received, by SKU code."""
        received = {
            "IP-600": self.purchase("IP-600", 16, "6800.00", 21, receive=16),  # in full
            "SL-X1": self.purchase("SL-X1", 40, "1150.00", 12, receive=24),  # partly
            "CMP-R32-35": self.purchase("CMP-R32-35", 30, "420.00", 30, receive=10),
        }
        purchasing.close_order(received["CMP-R32-35"])  # short-closed: the rest won't come
        purchasing.open_order(self.purchase("BAT-56WH", 20, "180.00", 3))  # sent, none yet
        self.purchase("MB-K35", 50, "95.50", 1)  # still a draft
        purchasing.cancel_order(self.purchase("SSD-512G", 10, "260.00", 8))
        return {code: self.received_on(order) for code, order in received.items()}

    # sales orders and deliveries --------------------------------------------------------
    def deliver(self, order: SalesOrder, units: list[Unit], who: str = "warehouse") -> None:
        text = "\n".join(u.serial for u in units)
        deliver_order(order, self.s.hq, rows_from_text(text), notes="示范数据", user=self.user[who])
        self.stats.deliveries += 1

    def order(self, buyer: Party, lines, channel: str, ref: str = "") -> SalesOrder:
        self.stats.sales_orders += 1
        return create_order(
            buyer, lines, channel=self.channels[channel], customer_ref=ref, user=self.user["sales"]
        )

    def selling(self, stock: dict[str, list[Unit]]) -> dict[str, list[Unit]]:
        """Orders delivered, partly delivered, open and cancelled; returns units sold."""
        pumps, locks = stock["IP-600"], stock["SL-X1"]
        hospital = self.s.hospitals["E"][0]
        distributor = self.s.distributors["E"]
        people = [p for ps in self.s.people.values() for p in ps][:3]
        to_hospital = self.order(
            hospital, [(self.sku("IP-600"), 8)], "PROJECT", "院采〔2026〕118号"
        )
        self.deliver(to_hospital, pumps[:8])
        to_dealer = self.order(distributor, [(self.sku("SL-X1"), 20)], "DEALER")
        self.deliver(to_dealer, locks[:12])  # the rest follows next week
        retail = []
        for i, person in enumerate(people):
            online = self.order(person, [(self.sku("SL-X1"), 1)], "JD", f"JD{8812340 + i}")
            self.deliver(online, [locks[12 + i]])
            retail.append(locks[12 + i])
        company = self.s.companies["E"][0]
        self.order(company, [(self.sku("IP-600"), 4)], "PROJECT")  # open, awaiting stock
        cancel_order(self.order(self.s.people["E"][0] if self.s.people["E"] else people[0],
                                [(self.sku("SL-X1"), 2)], "TMALL"))  # fmt: skip
        return {"hospital": pumps[:8], "dealer": locks[:12], "retail": retail}

    # returns and exchanges --------------------------------------------------------------
    def returning(self, sold: dict[str, list[Unit]], stock: dict[str, list[Unit]]) -> None:
        centre = self.s.centres["E"]
        agent = self.user["agent"]
        retail, hospital = sold["retail"], sold["hospital"]
        create_return(
            [retail[0]],
            centre,
            reason="七天无理由退货，包装完好",
            results={retail[0].pk: R.RESALEABLE},
            user=agent,
        )
        create_return(hospital[:2], centre, reason="报警误报，医院设备科退回检测", user=agent)
        create_return(
            [hospital[2]], centre, reason="流速偏差超限", results={hospital[2].pk: R.REPAIR},
            user=agent,
        )  # fmt: skip
        self.stats.returns += 3
        spare = stock["SL-X1"][-1]
        exchange_unit(
            retail[1], spare, centre, reason="开箱指纹模块失灵，换新", result=R.REPAIR, user=agent
        )
        self.stats.exchanges += 1

    # diversion (窜货) ---------------------------------------------------------------------
    def diversion(self, sold: dict[str, list[Unit]]) -> None:
        """The dealer's units serviced outside its provinces, and past activations that
        named a region outside their distributor's area."""
        for unit, region in zip(sold["dealer"], FOREIGN_REGIONS, strict=False):
            record_event(
                unit,
                EventData(
                    EventType.SERVICED,
                    region=region,
                    notes="上门安装调试",
                    ref_type="work_order",
                    ref_id=self.s.doc("WO", timezone.now()),
                ),
            )
        activations = (
            UnitEvent.objects.filter(type=EventType.ACTIVATED, unit__distributor__isnull=False)
            .exclude(region="")
            .select_related("unit__distributor")
            .order_by("occurred_at", "pk")
        )
        for event in activations.iterator(chunk_size=500):
            check_diversion(
                event.unit,
                parse_region(event.region),
                DiversionAlert.Source.ACTIVATION,
                reference=event,
                when=event.occurred_at,
            )
        alerts = list(DiversionAlert.objects.order_by("pk"))
        if alerts:
            set_alert_status(
                alerts[0].pk,
                DiversionAlert.Status.ACKNOWLEDGED,
                user=self.user["sales"],
                note="已与经销商核实，正在处理",
            )
        if len(alerts) > 2:
            set_alert_status(
                alerts[-1].pk,
                DiversionAlert.Status.DISMISSED,
                user=self.user["sales"],
                note="客户异地购买后自行搬迁，非窜货",
            )
        self.stats.diversion_alerts = len(alerts)

    # transfers, holds and stocktakes ----------------------------------------------------
    def moving(self, stock: dict[str, list[Unit]]) -> None:
        hq, rdc, clerk = self.s.hq, self.s.rdc, self.user["warehouse"]
        pumps = stock["IP-600"][8:]
        received = create_transfer(hq, rdc["E"], user=clerk, notes="华东补货", units=pumps[:3])
        dispatch_transfer(received, user=clerk)
        receive_units(received, pumps[:3], user=clerk, bin=self.s.rdc_bins["E"][0])
        on_the_way = create_transfer(hq, rdc["S"], user=clerk, notes="华南补货", units=pumps[3:6])
        dispatch_transfer(on_the_way, user=clerk)
        create_transfer(hq, rdc["N"], user=clerk, notes="待拣货", units=stock["CMP-R32-35"][:2])
        self.stats.transfers += 3

    def holding(self, stock: dict[str, list[Unit]]) -> None:
        locks = list(stock["SL-X1"][15:20])
        self.stats.held += hold_units("quarantine", locks[:3], reason="外包装破损，待质检")
        self.stats.held += hold_units(
            "block", stock["CMP-R32-35"][8:10], reason="供应商质量通报，暂停发货"
        )
        hold_units("release", locks[2:3], reason="质检合格，放行")

    def counting(self) -> None:
        """A closed count of the east-China warehouse (one unit not found), and an open
        one in south China."""
        clerk = self.user["warehouse"]
        east = open_stocktake(self.s.rdc["E"], user=clerk, notes="月度盘点")
        book = list(
            Unit.objects.filter(warehouse=self.s.rdc["E"])
            .order_by("pk")
            .values_list("serial", flat=True)
        )
        if book[1:]:
            scan_many(east, book[1:], user=clerk)
        close_stocktake(east, user=clerk, reason="月度盘点差异", adjust={"missing": "all"})
        south = open_stocktake(self.s.rdc["S"], user=clerk, notes="季度盘点")
        shelf = list(
            Unit.objects.filter(warehouse=self.s.rdc["S"])
            .order_by("pk")
            .values_list("serial", flat=True)[:5]
        )
        if shelf:
            scan_many(south, shelf, user=clerk)
        self.stats.stocktakes += 2

    # spare parts (counted by quantity) --------------------------------------------------
    def parts(self) -> None:
        filters, sets = self.sku("FLT-K35"), self.sku("IS-20")
        today = timezone.localdate()
        moves = 0
        for k, key in enumerate(("E", "S", "N", "W")):
            centre = self.s.centres[key]
            spare_parts.receive_parts(
                centre, filters, 40 + 10 * k, reference=self.s.doc("RK", timezone.now())
            )
            spare_parts.receive_parts(
                centre,
                sets,
                200 if key != "N" else 30,
                lot=f"IS{today:%y%m}{k + 1}",
                expiry=today + timedelta(days=300 + 30 * k),
                reference=self.s.doc("RK", timezone.now()),
            )
            moves += 2
        spare_parts.receive_parts(
            self.s.centres["E"],
            sets,
            20,
            lot=f"IS{today - timedelta(days=400):%y%m}9",
            expiry=today + timedelta(days=20),
            reference="期初库存",
        )
        moves += 1
        moves += len(
            spare_parts.issue_parts(
                self.s.centres["E"], sets, 25, reference=self.s.doc("WO", timezone.now())
            )
        )
        moves += len(
            spare_parts.issue_parts(
                self.s.centres["S"], filters, 6, reference=self.s.doc("WO", timezone.now())
            )
        )
        spare_parts.transfer_parts(self.s.centres["E"], self.s.vans["E"], filters, 8)
        moves += 2
        for key in ("E", "S", "N", "W"):
            save_with_log(MinStock(warehouse=self.s.centres[key], sku=sets, minimum=50))
        check_min_stock()  # the north centre holds 30 of 50: a low-stock alert
        self.stats.part_moves = moves
