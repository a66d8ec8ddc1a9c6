"""Scanner agent: reads handheld barcode scanners and forwards scans to the inspection service.

Pipeline: transport reader -> frame decoder (pure) -> `Scan` -> durable outbox -> forwarder.
Optional hardware libraries (pyserial, evdev, hidapi) are imported only inside their transport
modules so that decoders, outbox and forwarder work without them.
"""

DRIVER_VERSION = "0.1.0"
