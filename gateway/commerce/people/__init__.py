"""People: who is calling, sellers, and our own PINs."""
