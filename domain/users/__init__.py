"""Identity and access: accounts, sessions, passwords, MFA, roles, API keys and privacy requests."""
