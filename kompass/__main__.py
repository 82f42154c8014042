"""`python -m kompass` runs the `kompass` command."""
from kompass.cli import main

main()
