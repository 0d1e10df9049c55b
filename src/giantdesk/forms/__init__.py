"""Form definitions as data, field types, validators and the rule engine. No Qt here."""
