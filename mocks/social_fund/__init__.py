"""The State Social Insurance Fund mock (GFSS): ``GFSS_ContributionsQuery`` over the gateway's
SyncChannel, answering from contributions derived from the synthetic population (PAYMENT-RULES "Amount")."""
