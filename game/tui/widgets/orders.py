"""The orders form: GPUs per chip, power per source, research and the train/serve split.

Every field is a number typed from the keyboard (Tab, Shift+Tab or the
arrows move between them). The form asks the engine what the orders cost
and whether they stand, and shows the answer as you type.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Input, Static

from game.engine.orders import Orders, order_cost
from game.fmt import cash, compact, money, plural
from game.tui.advisor import buyable
from game.tui.board import Desk
from game.tui.messages import OrdersChanged
from game.tui.plain import plain, scenario_names, sentence
from game.tui.widgets.number import NumberInput
from game.tui.widgets.panel import Panel


class Field(Horizontal):
    """A label, a number box and what the number buys."""

    def __init__(self, label: str, key: str, *, digits: int, unit: str, id: str) -> None:
        super().__init__(id=id, classes="field")
        self.label = label
        self.key = key
        self.digits = digits
        self.unit = unit

    def compose(self) -> ComposeResult:
        yield Static(plain(self.label), classes="field-label")
        yield NumberInput(max_length=self.digits, classes="field-input")
        yield Panel("", classes="field-info")

    @property
    def input(self) -> NumberInput:
        return self.query_one(NumberInput)

    def number(self) -> int:
        text = self.input.value.strip()
        try:
            return max(0, int(text)) if text else 0
        except ValueError:
            return 0

    def info(self, text: str) -> None:
        """What the number buys, after its unit: 'MW $10M · 6 qtrs'."""
        shown = Content.assemble(f"{self.unit:<2} ", plain(text, "$text-muted"))
        self.query_one(".field-info", Panel).show_content(shown, fixed=True)

    def set_number(self, n: int) -> None:
        text = str(n) if n else ""
        if self.input.value != text:
            self.input.value = text


class OrdersForm(Vertical):
    """The quarter's orders; posts `OrdersChanged` whenever a field changes."""

    def __init__(self, game: Desk, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.game = game
        self.orders: Orders = Orders(train_share=game.player.train_share)
        self.problems: list[str] = []

    def compose(self) -> ComposeResult:
        book = self.game.book
        head = Static(
            Content.assemble("Buy GPUs", ("  price · on offer", "$text-muted")), classes="form-head"
        )
        head.tooltip = (
            "On offer: your side's supply of the chip this quarter, shared with your "
            "side's other labs. If together you order more, every order is filled in "
            "the same proportion and you pay only for what is filled."
        )
        yield head
        for chip in book.chip_order:
            name = book.chip[chip].name.removesuffix("-class")
            yield Field(name, chip, digits=7, unit="", id=f"gpu-{chip}")
        yield Static(
            Content.assemble("Build power", ("  per MW · lead time", "$text-muted")),
            classes="form-head",
        )
        for src, info in book.power.items():
            name = info.name.split()[0] if len(info.name) > 12 else info.name
            yield Field(name, src, digits=5, unit="MW", id=f"power-{src}")
        yield Static("Research and models", classes="form-head")
        yield Field("Research", "research", digits=6, unit="$M", id="research")
        yield Field("Training", "train", digits=3, unit="%", id="train")
        yield Panel("", id="preview")
        yield Panel("", id="problems")

    # -- filling -------------------------------------------------------------
    def load(self, orders: Orders) -> None:
        """Show `orders` in the fields and refresh prices, supply and lead times."""
        game = self.game
        state = game.state
        book = game.book
        faction = game.player.faction
        # Filling the fields must not fire a recompute per field: one follows.
        with self.prevent(Input.Changed):
            for chip in book.chip_order:
                field = self.query_one(f"#gpu-{chip}", Field)
                open_ = buyable(game, chip)
                show = open_ or bool(orders.gpus.get(chip))
                if field.display != show:
                    field.display = show
                price = state.world.prices[chip] * 1e6
                supply = state.world.supply[chip].get(faction, 0)
                field.info(f"${compact(price)} · {compact(supply)}")
                field.set_number(orders.gpus.get(chip, 0))
            for src in book.power:
                field = self.query_one(f"#power-{src}", Field)
                lead = state.world.power_lead[src].get(faction, 0)
                caps = book.max_mw.get(src)
                cap = f" · max {caps.get(faction, 0):,}" if caps is not None else ""
                when = plural(lead, "qtr") if lead else "at once"
                field.info(f"${book.capex[src]:,.0f}M · {when}{cap}")
                field.set_number(orders.power.get(src, 0))
            research = self.query_one("#research", Field)
            research.info("on efficiency")
            # Whole $M, rounded down: a plan that spends every dollar still stands.
            research.set_number(int(orders.research))
            train = self.query_one("#train", Field)
            train.info("rest serves users")
            share = str(round(orders.train_share * 100))
            if train.input.value != share:
                train.input.value = share
        self.recompute()

    # -- reading -------------------------------------------------------------
    def read(self) -> tuple[Orders | None, list[str]]:
        """The orders in the fields, or None and why they cannot be orders at all."""
        book = self.game.book
        gpus = {}
        for chip in book.chip_order:
            n = self.query_one(f"#gpu-{chip}", Field).number()
            if n:
                gpus[chip] = n
        power = {}
        for src in book.power:
            mw = self.query_one(f"#power-{src}", Field).number()
            if mw:
                power[src] = mw
        research = self.query_one("#research", Field).number()
        train = self.query_one("#train", Field).number()
        if not 0 <= train <= 100:
            return None, [f"the training share must be 0 to 100%, not {train}%"]
        return (
            Orders(gpus=gpus, power=power, research=research, train_share=train / 100),
            [],
        )

    def recompute(self) -> None:
        """Price the orders, check them with the engine and tell the screen."""
        game = self.game
        orders, problems = self.read()
        if orders is not None:
            problems = game.problems(orders)
            self.orders = orders
        self.problems = problems
        lab = game.player
        cost = order_cost(game.state, self.orders, game.book.capex)
        preview = Content.assemble(
            ("Total ", "bold"),
            money(cost),
            ("  Cash left ", "bold"),
            (cash(lab.cash - cost), "$text-error" if cost > lab.cash else ""),
        )
        self.query_one("#preview", Panel).show_content(preview, fixed=True)
        shown = self.query_one("#problems", Panel)
        if problems:
            names = scenario_names(game.scenario)
            shown.show_content(
                Content("\n").join(
                    Content.assemble(("✗ ", "bold $text-error"), plain(sentence(p, names)))
                    for p in problems
                )
            )
        else:
            shown.show_content(Content.styled("✓ These orders can be given.", "$text-success"))
        self.post_message(OrdersChanged(self.orders, list(problems)))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.recompute()

    def focus_first(self) -> None:
        for field in self.query(Field):
            if field.display:
                field.input.focus()
                return
