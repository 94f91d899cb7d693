"""Help: the keys, how a turn works, the rules in short, and the scenario's glossary."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Markdown, Static

from game.fmt import one_line
from game.scenario.models import Scenario
from game.tui.plain import plain

KEYS = """\
## Keys

| Key | What it does |
|---|---|
| `e` | End the turn with the orders on screen |
| `a` | Fill the orders with the advisor's plan for this quarter (change it as you like) |
| `c` | Charts of the race over time |
| `r` | The last turn's report |
| `s` | Save the game under a name (it also saves itself after every quarter and choice) |
| `?` | This help |
| `q` | Quit (asks first: `y` or Enter quits, `n` or Escape stays) |
| `1`-`9` | Pick a choice when an event asks you |
| Tab, Shift+Tab, arrows | Move between the order fields; type numbers to set them |
| Ctrl+P | The command palette: every action by name |
| Escape | Close this screen, a report or a chart |

The mouse works too: click a field, a button or a key in the footer.

In a replay (**Replays** on the title screen): `←` `→` step a quarter, `Home`
and `End` go to the start and the end, `g` goes to a turn, `space` plays and
pauses, `+` `-` change the speed, `r` and `c` show the quarter's report and
the charts, and `b` takes over your lab at the turn shown, as a new game. In
a two-player game, `v` shows the other player's lab.
"""

TURN = """\
## How a turn works

Each turn is one quarter of a year.

1. **News.** Events from the real story break. When one needs your decision a
   window asks you to choose; each choice says what it will do.
2. **Orders.** Set how many GPUs to buy of each chip you may buy, how many MW
   of power to build from each source, your research budget and how much of
   your compute trains models (the rest serves users and earns revenue). The
   form shows what the orders cost and the cash they leave, and refuses orders
   that cannot stand. The advisor line above warns you before you commit.
3. **Resolution.** Press `e`. Deliveries and power land, powered GPUs train and
   serve, the market pays, the books close and your rivals act.
4. **Report.** What changed and why; then the next quarter begins, starting
   from your last orders where you can still afford them.
"""

HOTSEAT = """\
## Two players at one terminal (hot-seat)

On **New game**, pick **Two players (one terminal)** in the side list (after
the scenario's sides): one person plays each side's main lab, every other lab
is a computer rival. Each quarter the first side (the United States in the
shipped scenarios) moves first, then the other: answer your events, set your
orders and press `e`. A hand-over screen then hides the whole board; pass the
keyboard, and the other player presses Enter. Neither player sees the other's
orders, choices or their effects until the quarter is over. When both have
given their orders the quarter resolves, and each player finds their own
report when they next sit down. The end screen tells both sides' story.
**Continue** and **Load game** play a two-player game on from the hand-over
of the side whose move is due (orders given but not yet resolved are not
kept; choices are).
"""

RULES = """\
## The rules in short

- **GPUs need power.** Each GPU draws power (about 1.4 kW for an H100-class
  one, cooling included). GPUs beyond what your power feeds sit idle. GPUs
  arrive in a quarter or two; power takes longer, a US grid connection most.
- **Chips are rationed.** Each chip's quarterly supply is shared by the labs
  of your side. When together they order more than is on offer, every order
  is filled in the same proportion, and you pay only for what is filled: the
  report says how much you got.
- **Capability** grows with the effective compute of your recent training runs:
  10 points for every tenfold increase. It never falls, but the frontier moves.
- **Efficiency** multiplies what each FLOP is worth. Research raises it; a lab
  short of compute gets more from each dollar (necessity breeds invention).
- **Revenue** comes from your share of the world's AI use: capable, cheap and
  plentiful serving wins share. Cheaper tokens make the whole market grow.
- **Money.** GPUs and power are paid when ordered, research each quarter,
  electricity and running costs as you go. Below zero cash for two quarters
  in a row means bankruptcy.
- **Concern** rises with power, emissions and market share; at 100 regulators
  shut the lab down. **Investor confidence** (US) or **state backing** (China)
  follows how you do; China's state backing pays back part of your spending,
  and at 0 the state takes the lab over.
"""


def victory_text(scenario: Scenario) -> Content:
    """How this scenario is won, in a sentence or two."""
    parts: list[Content] = []
    for v in scenario.victory:
        if v.kind == "turning_point":
            parts.append(
                Content.assemble(
                    "The first lab to reach capability ",
                    (f"{v.threshold:g}", "bold"),
                    " (the turning point) wins.",
                )
            )
        elif v.kind == "frontier_at_end":
            parts.append(
                Content(
                    "Otherwise the lab with the highest capability when the last turn ends wins."
                )
            )
        elif v.kind == "condition":
            parts.append(
                Content.assemble(
                    "The first lab for which ", (v.when, "bold"), " holds at a quarter's end wins."
                )
            )
        else:
            parts.append(
                Content(
                    "When the last turn ends, the best score wins: capability, market share and "
                    "cheap tokens count for you, emissions against you, each scored from the "
                    "worst lab to the best."
                )
            )
    parts.append(
        Content(
            "Outliving the others is not winning: a lab that ends behind the best model any "
            "lab built, one that fell out included, only survives."
        )
    )
    return Content(" ").join(parts)


HELP = "\n\n".join(["# AI Race: help", KEYS, TURN, HOTSEAT, RULES])


def scenario_help(scenario: Scenario) -> list[tuple[str, Content]]:
    """The scenario's part of help, as (kind, content) blocks: 'heading' or 'paragraph'.

    The scenario's words are plain text, never Markdown: a glossary from a
    stranger's file must not carry links or markup.
    """
    blocks = [
        ("heading", Content.assemble("This scenario: ", plain(scenario.meta.name))),
        ("paragraph", plain(one_line(scenario.meta.description))),
        ("paragraph", Content.assemble(("How to win. ", "bold"), victory_text(scenario))),
    ]
    if scenario.glossary:
        blocks.append(("heading", Content("Glossary")))
        for entry in scenario.glossary:
            source = plain(f" Source: {one_line(entry.source)}.", "italic") if entry.source else ""
            blocks.append(
                (
                    "paragraph",
                    Content.assemble(
                        plain(f"{one_line(entry.term)}.", "bold"),
                        " ",
                        plain(one_line(entry.text)),
                        source,
                    ),
                )
            )
    return blocks


class HelpScreen(Screen[None]):
    CSS_PATH = "help.tcss"
    AUTO_FOCUS = "#help-body"  # not in on_mount: the screen may be closed before it mounts
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("question_mark", "app.pop_screen", "Back", show=False),
        Binding("q", "app.request_quit", "Quit"),
    ]

    def __init__(self, scenario: Scenario | None) -> None:
        super().__init__()
        self.scenario = scenario

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            # Markdown for our own words only; the scenario's go in plain widgets.
            yield Markdown(HELP)
            if self.scenario is not None:
                for kind, content in scenario_help(self.scenario):
                    yield Static(content, classes=f"help-{kind}")
        yield Footer()
