"""The names a scenario's expressions and effects may use, and what they mean.

This table is the contract between scenario files and the engine: the
expression compiler checks every name against it when a scenario loads, and
the engine keeps each attribute named here up to date on its state objects.
"""

from __future__ import annotations

# Lab fields readable in expressions: name in YAML -> attribute on LabState.
LAB_READ: dict[str, str] = {
    "cash": "cash",  # $M in the bank
    "gpus": "gpus_total",  # installed accelerators, all chips
    "powered_gpus": "powered_gpus",  # GPUs the online power can feed
    "idle_gpus": "idle_gpus",  # installed GPUs without power
    "gpus_on_order": "gpus_on_order",  # bought, not yet delivered
    "power_mw": "power_mw",  # MW online, all sources
    "power_building": "power_building",  # MW ordered, not yet online
    "efficiency": "efficiency",  # algorithmic multiplier, >= 1
    "capability": "capability",  # best model so far (index)
    "rank": "rank",  # 1 = frontier
    "cost_per_mtok": "cost_per_mtok",  # $ per million tokens at fixed quality
    "market_share": "market_share",  # 0..1
    "revenue": "revenue",  # $M last quarter
    "profit": "profit",  # $M last quarter, income minus spending
    "concern": "concern",  # 0..100
    "backing": "backing",  # 0..100 (China: state backing; US: investor confidence)
    "train_share": "train_share",  # 0..1
    "compute": "compute",  # effective FLOP last quarter
    "emissions": "emissions",  # tonnes CO2 last quarter
    "faction": "faction",  # 'us' or 'china'
    "is_player": "is_player",  # true for the human's lab
    "alive": "alive",  # false once bankrupt, shut down or taken over
}

# Lab fields an effect may add to, set or multiply.
LAB_WRITE: dict[str, str] = {
    "cash": "cash",
    "efficiency": "efficiency",
    "capability": "capability",  # only ever raised: capability never falls
    "concern": "concern",
    "backing": "backing",
    "train_share": "train_share",
}

# Lab fields with a sub-key: `me.gpus.h100`, `me.power.grid`, `me.flags.name`.
LAB_MAPS: dict[str, str] = {"gpus": "gpus", "power": "power"}

# World fields readable in expressions (`world.demand`).
WORLD_READ: dict[str, str] = {
    "demand": "demand",  # $M a quarter the world spends on AI services
    "demand_growth": "demand_growth",  # growth per quarter
    "frontier": "frontier",  # best capability of any lab
    "best_cost": "best_cost",  # lowest cost per million tokens of any lab
    "turns": "turns",  # length of the game
    "reasoning_weight": "reasoning_weight",  # share of serving compute that counts as training
    "diffusion": "diffusion",  # share of the efficiency gap to the best lab closed a quarter
}

WORLD_WRITE: dict[str, str] = {
    "demand": "demand",
    "demand_growth": "demand_growth",
    "reasoning_weight": "reasoning_weight",
    "diffusion": "diffusion",
}

# Plain names.
GLOBALS: tuple[str, ...] = ("turn", "year", "quarter")

# The faction names usable as lab scopes (`us.capability` is the main US lab).
FACTION_SCOPES: tuple[str, ...] = ("us", "china")
