"""Entry points: the command line (serve, migrate, seed, …) and the job worker."""
