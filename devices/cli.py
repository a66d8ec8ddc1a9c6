"""`inspect-scanner`: the device agent. Devices are owned by this process only."""

from __future__ import annotations

import functools
import logging
import signal
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from devices import config
from devices.agent import Agent
from devices.forwarder import Forwarder, HttpSender
from devices.outbox import Outbox
from devices.outbox_cli import OUTBOX_OPTION, outbox_group
from devices.token import TokenSource
from devices.transports import discovery
from devices.transports.base import ScannerDriver, fixed_path


def common_options(func: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--server", envvar="INSPECT_SERVER", help="Service base URL."),
        click.option("--token", envvar="INSPECT_TOKEN", help="API token (env INSPECT_TOKEN)."),
        click.option(
            "--token-file",
            type=click.Path(dir_okay=False, path_type=Path),
            envvar="INSPECT_TOKEN_FILE",
            help="File holding the API token, read again when it changes or on SIGHUP "
            "(env INSPECT_TOKEN_FILE); overrides --token.",
        ),
        click.option("--device-id", help="Stable device id (default: derived from the device)."),
        click.option("--shipment", required=True, help="Shipment id the scans belong to."),
        OUTBOX_OPTION,
        click.option("--preset", help="Preset from the scanner config file."),
        click.option(
            "--config",
            "config_path",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            help=f"Scanner config TOML (default: env {config.CONFIG_ENV} or config/scanners.toml).",
        ),
    ]
    return functools.reduce(lambda f, option: option(f), reversed(options), func)


@click.group()
@click.option("--log-level", default="INFO", show_default=True)
def main(log_level: str) -> None:
    """Read handheld barcode scanners and forward scans to the inspection service."""
    logging.basicConfig(
        level=log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )


@main.command("list")
def list_devices() -> None:
    """List candidate scanner devices (serial ports, evdev keyboards, hidraw nodes)."""
    candidates = discovery.serial_ports() + discovery.evdev_keyboards() + discovery.hidraw_nodes()
    if not candidates:
        click.echo("no candidate devices found")
    for cand in candidates:
        ids = f"{cand.vid:04x}:{cand.pid:04x}" if cand.vid is not None and cand.pid else "-"
        click.echo(
            f"{cand.kind:7} {cand.path:30} {ids:10} {cand.vendor or '':32} {cand.description}"
        )


@main.command("serial")
@click.argument("port")
@click.option("--baud", type=int, help="Baud rate (overrides the preset).")
@common_options
def serial_cmd(port: str, baud: int | None, **opts: Any) -> None:
    """Read a serial (RS-232 / USB CDC) scanner on PORT and forward scans."""
    from devices.transports.serial_reader import SerialDriver

    settings = _settings(opts, baudrate=baud)
    device_id = opts["device_id"] or discovery.find_serial(port).device_id
    _run(SerialDriver(device_id, settings, fixed_path(port)), settings, opts)


@main.command("hid")
@click.argument("device")
@common_options
def hid_cmd(device: str, **opts: Any) -> None:
    """Read a keyboard-wedge scanner through evdev (grabbed) and forward scans."""
    from devices.transports.evdev_reader import EvdevDriver

    settings = _settings(opts)
    device_id = opts["device_id"] or f"evdev:{device}"
    _run(EvdevDriver(device_id, settings, fixed_path(device)), settings, opts)


@main.command("hidpos")
@click.argument("device")
@common_options
def hidpos_cmd(device: str, **opts: Any) -> None:
    """Read a HID POS scanner on a /dev/hidraw node (needs the `hidpos` extra)."""
    from devices.transports.hidpos_reader import HidPosDriver

    settings = _settings(opts)
    device_id = opts["device_id"] or f"hidpos:{device}"
    _run(HidPosDriver(device_id, settings, fixed_path(device)), settings, opts)


def _settings(opts: dict[str, Any], **overrides: Any) -> config.DeviceSettings:
    try:
        return config.resolve(config.load_file(opts["config_path"]), opts["preset"], **overrides)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


def _run(driver: ScannerDriver, settings: config.DeviceSettings, opts: dict[str, Any]) -> None:
    outbox = Outbox(opts["outbox"])
    tokens = TokenSource(opts["token"], opts["token_file"])
    sender = HttpSender(opts["server"], tokens) if opts["server"] else None
    hint = str(opts["token_file"]) if opts["token_file"] else "a file given as --token-file"
    agent = Agent(driver, outbox, opts["shipment"], settings, token_hint=hint)
    if sender is not None:
        agent.forwarder = Forwarder(
            outbox,
            sender,
            on_verdict=agent.on_verdict,
            on_refused=agent.on_refused,
            token_changed=tokens.refresh,
        )
    else:
        logging.getLogger(__name__).warning("no --server: scans are stored in the outbox only")
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    forwarder = agent.forwarder
    if forwarder is not None:

        def reload_token(*_: Any) -> None:
            tokens.reload()
            forwarder.resume()

        signal.signal(signal.SIGHUP, reload_token)
    try:
        agent.run(stop)
    finally:
        if sender is not None:
            sender.close()
        outbox.close()


main.add_command(outbox_group)


if __name__ == "__main__":
    main(prog_name="inspect-scanner")
