"""Pure frame decoders: no I/O, no hardware libraries, injected timestamps."""
