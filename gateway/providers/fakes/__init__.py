"""Local stand-ins for outside services, answering in their documented wire formats."""
