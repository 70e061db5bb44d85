"""Clients for outside services (Africa's Talking, mobile money, carriers) and local fakes of them."""
