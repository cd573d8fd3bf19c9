"""The State Social Insurance Fund mock (GFSS): ``GFSS_ContributionsQuery`` over the gateway's
SyncChannel, answering from contributions derived from the synthetic population (the contribution base
and rates of kernel/parameter_values.py; Social Code Art. 1, 115)."""
