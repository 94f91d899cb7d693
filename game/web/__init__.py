"""The game in a web browser (`airace serve`): textual-serve runs one game per tab."""
