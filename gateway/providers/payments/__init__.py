"""Mobile money: the provider interface, Daraja (M-Pesa), MTN MoMo, the sandbox, and routing."""
