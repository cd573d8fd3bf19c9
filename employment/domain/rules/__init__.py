"""The legal rules, one concept a module, each naming its rule id and paragraph."""
