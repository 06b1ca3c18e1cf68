"""Masks: which timesteps of a sequence are real data, and the `Masking` layer."""
