"""The SMS channel's conversations: the command grammar, its handlers and the texts sent."""
