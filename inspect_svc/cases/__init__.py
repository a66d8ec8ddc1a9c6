"""Case handling: decisions, the officer queue and exports of cases."""
