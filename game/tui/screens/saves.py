"""The saved games: Load game (play on), Replays (watch) and the records table."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static
from textual.worker import Worker, WorkerState

from game.saves.records import RecordRow, records_table
from game.saves.store import FINISHED, SaveInfo, list_saves
from game.tui.plain import plain_text

# What each list is for: its title, the hint line, and whether finished games show.
MODES = {
    "load": ("Load game", "Enter: play on from the save.  Escape: back.", False),
    "replay": ("Replays", "Enter: watch the game turn by turn.  Escape: back.", True),
}


def saved_when(info: SaveInfo) -> str:
    """When the file was saved, in the player's own time zone, to the minute."""
    try:
        return info.saved_at.astimezone().strftime("%Y-%m-%d %H:%M")
    except (OverflowError, ValueError, OSError):  # a date no clock can show
        return info.saved_at.strftime("%Y-%m-%d %H:%M")


def cells(*values: str) -> list[Text]:
    """A table row's cells as plain text: names come from save files, never markup."""
    return [plain_text(v) for v in values]


def save_label(info: SaveInfo) -> str:
    """Which save of a game a row is: its name, or its kind."""
    return info.name or info.kind


def difficulty(value: str | None) -> str:
    return value or "-"


def short_name(name: str) -> str:
    """A scenario's name without its dates ('DeepSeek Surprise, 2025-28'), for narrow tables."""
    return name.split(",")[0].strip() or name


def side(info: SaveInfo) -> str:
    """The side played, or both for a game of two players (hot-seat)."""
    if info.people > 1:
        return "2 players"
    return "US" if info.faction == "us" else "China" if info.faction == "china" else info.side


def best(row: RecordRow) -> str:
    """A row's best game in a few words: 'won 2029 Q1, turning point'."""
    result = row.best.result
    if result is None:
        return ""
    said = "won" if result.player_won else "lost"
    return f"{said} {row.best.date}, {result.kind.replace('_', ' ')}"


class SavesScreen(Screen[None]):
    """A list of saves, newest first: Enter opens the one highlighted."""

    CSS_PATH = "saves.tcss"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("q", "app.request_quit", "Quit"),
    ]

    def __init__(self, mode: str) -> None:
        super().__init__()
        self.mode = mode
        self.infos: list[SaveInfo] = []

    def compose(self) -> ComposeResult:
        title, hint, _ = MODES[self.mode]
        yield Static(title, id="saves-title")
        yield DataTable(id="saves-table", cursor_type="row", zebra_stripes=True)
        yield Static("Reading the saves...", id="saves-hint")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Scenario", "Side", "Level", "Turn", "Saved", "Outcome", "Save")
        table.focus()
        # Each save's header is read from its file: off the event loop, so
        # the screen opens at once however many games are kept.
        self.run_worker(list_saves, thread=True, name="saves")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name != "saves" or event.state not in (
            WorkerState.SUCCESS,
            WorkerState.ERROR,
        ):
            return
        found = event.worker.result if event.state == WorkerState.SUCCESS else []
        _, hint, finished = MODES[self.mode]
        self.infos = [i for i in (found or []) if finished or (not i.over and i.kind != FINISHED)]
        table = self.query_one(DataTable)
        for i, info in enumerate(self.infos):
            table.add_row(
                *cells(
                    short_name(info.scenario_name) or info.path.name,
                    side(info),
                    difficulty(info.difficulty),
                    str(info.turn) if info.problem is None else "",
                    saved_when(info),
                    info.outcome,
                    save_label(info),
                ),
                key=str(i),
            )
        empty = (
            "No games have been saved yet." if self.mode == "load" else "No games to replay yet."
        )
        self.query_one("#saves-hint", Static).update(hint if self.infos else empty)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        info = self.infos[int(str(event.row_key.value))]
        if info.problem is not None:
            self.app.show_message(  # type: ignore[attr-defined]
                f"{info.path.name} cannot be opened: {info.problem}.", "Save"
            )
            return
        self.app.open_save(info.path, replay=self.mode == "replay")  # type: ignore[attr-defined]


class RecordsScreen(Screen[None]):
    """The best result by scenario, side and difficulty; Enter replays that game."""

    CSS_PATH = "saves.tcss"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("q", "app.request_quit", "Quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[RecordRow] = []

    def compose(self) -> ComposeResult:
        yield Static("Records", id="saves-title")
        yield DataTable(id="saves-table", cursor_type="row", zebra_stripes=True)
        yield Static("Reading the finished games...", id="saves-hint")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Scenario", "Side", "Level", "Played", "Won", "Best game")
        table.focus()
        self.run_worker(lambda: records_table(list_saves()), thread=True, name="records")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name != "records" or event.state not in (
            WorkerState.SUCCESS,
            WorkerState.ERROR,
        ):
            return
        self.rows = (event.worker.result if event.state == WorkerState.SUCCESS else None) or []
        table = self.query_one(DataTable)
        for i, row in enumerate(self.rows):
            table.add_row(
                *cells(
                    short_name(row.scenario_name),
                    side(row.best),
                    difficulty(row.difficulty),
                    str(row.played),
                    str(row.won),
                    best(row),
                ),
                key=str(i),
            )
        hint = (
            "Enter: replay the best game of the row.  Escape: back."
            if self.rows
            else "No finished games yet: play one to the end to set a record."
        )
        self.query_one("#saves-hint", Static).update(hint)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        row = self.rows[int(str(event.row_key.value))]
        self.app.open_save(row.best.path, replay=True)  # type: ignore[attr-defined]
