"""Screening: decisions, their derived state, agreement and prioritisation."""
