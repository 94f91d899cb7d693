"""The ranges scenario numbers may take, and the limits a game is held to.

Two kinds of bound live here, side by side so they stay consistent:

- **What a scenario may write.** The pydantic models put these bounds on
  every number, so validation refuses what no game could live with (and the
  JSON Schema carries them to editors).
- **What play may reach.** Effects written as expressions, research that
  compounds for forty quarters and demand that grows with every price cut
  can take a value past anything a scenario may write. The engine holds each
  such value at its limit and the game goes on (scenarios/GUIDE.md lists them).

The play limits sit far above anything the story reaches (the whole world
spends about $2T a year on AI by 2030) and far enough below the largest
float that every product the rules form from them stays finite.
"""

from __future__ import annotations

# --- what a scenario may write ------------------------------------------------

MONEY = 1e7  # $M: cash, revenue, running costs, grants, demand ($10 trillion)
CHIP_PRICE = 1e7  # $ per GPU
PFLOPS = 1e4  # PFLOP/s per GPU
KW = 1e3  # kW per GPU, all-in
GPU_COUNT = 100_000_000  # GPUs of one chip a lab starts with, or a side may buy a quarter
MW = 1_000_000  # MW of one source a lab starts with, or may order a quarter
CAPEX_PER_MW = 1e4  # $M to build one MW
PRICE_PER_MWH = 1e5  # $ per MWh
CO2_PER_MWH = 10.0  # t CO2 per MWh
EFFICIENCY = 1e6  # starting algorithmic efficiency
CAPABILITY = 1000.0  # a capability index or threshold
MULTIPLIER = 1000.0  # a `multiply` in a price, supply or demand change, a cash multiplier
EFFECT_VALUE = 1e12  # an effect's number, or a number written in an expression
SCORE_WEIGHT = 1e4  # one weight of the score victory
AI_WEIGHT = 1e6  # a choice's weight for computer labs

# How much a scenario may hold, so a game (and the screen) stays playable.
MAX_CHIPS = 64
MAX_POWER_SOURCES = 64
MAX_RIVALS = 32
MAX_EVENTS = 1000
MAX_EFFECTS = 100  # effects of one event or one choice
MAX_THEN = 20  # follow-ups of one event or one choice
MAX_GLOSSARY = 1000
MAX_DIFFICULTIES = 16

# Text lengths (characters).
NAME_LENGTH = 80
TITLE_LENGTH = 120
TEXT_LENGTH = 5000

# Events: a chain of `then` without delay is at most this many events deep
# (validation refuses a deeper one, and a loop).
MAX_CHAIN = 16

# --- what play may reach (the engine holds values here) -----------------------

HELD_MONEY = 1e12  # $M, either sign: cash, revenue, demand
HELD_GPUS = 10_000_000_000  # GPUs of one chip in one lab, or a side's supply of a chip
HELD_MW = 100_000_000  # MW of one source in one lab
HELD_EFFICIENCY = 1e12
HELD_CAPABILITY = CAPABILITY
HELD_CHIP_PRICE = 1e4  # $M per GPU (and at least a dollar: 1e-6 $M)
HELD_GROWTH = 10.0  # demand growth per quarter (and at least -0.5)
HELD_LEAD = 400  # quarters a power source may take to come online
