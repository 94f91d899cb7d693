"""Saves: the file format, reading and writing it, replaying and verifying, the saves folder.

- `model`: the save file's pydantic models (and its JSON Schema).
- `codec`: a game to a save and back: reading a file safely, replaying it.
- `errors`: `SaveError`, and the kinds of bad save (`SaveProblem`).
- `migrate`: older save formats brought up to the current one.
- `store`: the saves folder: autosaves, named saves, finished games, the list.
- `records`: the records table, best results by scenario, side and difficulty.
- `chronicle`: a saved game told as a Markdown story.

Nothing here knows a terminal exists; the command line and the terminal
game call these and show the `SaveError`s they raise.
"""
