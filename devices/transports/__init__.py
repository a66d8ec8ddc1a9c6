"""Transport readers: one thread per device, hardware libraries imported lazily."""
