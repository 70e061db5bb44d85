"""Settings from the environment, and the data of COMESA countries and their currencies."""
