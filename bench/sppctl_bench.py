#!/usr/bin/env python3
"""sppctl_bench.py - DUT wrapper for the spp_vf / spp_mirror benchmarks: a minimal spp-ctl.

  sppctl_bench.py --scenario SCEN --macs FILE [--default auto|yes|no] [--ready-file F] [--status-file F]
                  [--process-type auto|vf|mirror|any]
                  [--listen 127.0.0.1] [--accept-timeout 60] [--cmd-timeout 10]
                  -- SPP_VF_OR_SPP_MIRROR_COMMAND ... (may contain {CTLPORT})

1. Listens on 127.0.0.1:<free port> and replaces {CTLPORT} in the command by it.
2. Starts the command (spp_vf <EAL> -- --standalone ... -s 127.0.0.1:{CTLPORT}).
3. Accepts spp_vf's connection, sends `_get_client_id` (SPEC 4.2) and checks
   that the reply is a success of the expected process_type: --process-type
   auto (default) = "mirror" for the mirror_* scenarios, "vf" for the others,
   either of the two with --commands; "any" accepts both.
   ("spp_vf" below = the DUT process, spp_vf or spp_mirror.)
4. Sends the scenario's commands (SPEC 5.2) one per line, reading one JSON
   reply per command (until one complete JSON value, SPEC 4.3). Any reply that
   is not {"results":[{"result":"success"}]} is fatal: the error is printed,
   spp_vf is stopped and this wrapper exits 3.
5. Writes --ready-file (JSON: ctl_port, child pid, commands, seconds) once every
   command succeeded, then stays up, connection open, until signalled.
   SIGUSR1: send `status` and write the reply to --status-file (replaced
   atomically), e.g. to read the component counters after a measurement.
   SIGINT/SIGTERM: forwarded to spp_vf, which is waited for; the wrapper then
   exits with spp_vf's exit status (0 on a clean stop).
If spp_vf exits on its own, the wrapper exits 4. spp_vf gets SIGTERM from the
kernel if the wrapper dies (PR_SET_PDEATHSIG), so it never outlives it.

Scenarios (the 7-port layout of peer-bench/dut_bench.sh: ethdev 0 = source,
1..4 = sinks s1..s4, 5 = dflt, 6 = mir, 7..9 = extra sources of merge4_k1):
  fwd_k*                  forward phy:0 -> phy:1
  classify_k*, classify_k4096_fixedl3, classify_bcast_k*
                          classifier phy:0 -> phy:1..5; MAC line i of --macs
                          -> phy:(1 + i%4); `default` -> phy:5 (not with
                          K = 4096: the table holds 4096 entries, SPEC 5.6;
                          the traffic has no other unicast MAC, so it is unused)
  vlan_k*                 as classify, tx ports with del_vlantag and entries
                          `vlan (100 + i%4) MAC_i phy:(1 + i%4)` (gen_pcap.py vlan)
  merge4_k1               merge phy:0, phy:7, phy:8, phy:9 -> phy:1
  mirror_shallow_k1, mirror_deep_k1
                          (spp_mirror) mirror phy:0 -> originals to phy:1 (s1),
                          copies to phy:6 (mir); `component start mir 1 mirror
                          shallow|deep` (the 6-token form: the copy mode is
                          explicit, whatever spp_mirror's --copy-mode default)
  --commands FILE         any other list of commands, one per line
Python 3 standard library only.
"""
import argparse
import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
import time

PROG = "sppctl_bench"
SUCCESS = {"results": [{"result": "success"}]}


def log(msg):
    print("%s: %s" % (PROG, msg), file=sys.stderr, flush=True)


TABLE_MAX = 4096  # classifier entries per process (SPEC 5.6)


def scenario_commands(scen, macs, default="auto"):
    """Command list of a scenario (see the module docstring). default: "yes"
    adds `classifier_table add mac default phy:5`, "no" does not, "auto" adds it
    only if it fits in the table with the K MACs (K < 4096)."""
    if scen.startswith("fwd_k"):
        return ["component start fwd 1 forward",
                "port add phy:0 rx fwd",
                "port add phy:1 tx fwd"]
    if scen.startswith("mirror_"):
        mode = scen.split("_")[1]
        if mode not in ("shallow", "deep"):
            raise ValueError("mirror scenario %r: copy mode must be shallow or deep" % scen)
        # First tx = originals (-> s1), second tx = copies (-> mir), SPEC 8.7.
        return ["component start mir 1 mirror %s" % mode,
                "port add phy:1 tx mir",
                "port add phy:6 tx mir",
                "port add phy:0 rx mir"]
    if scen == "merge4_k1":
        return ["component start mrg 1 merge",
                "port add phy:0 rx mrg", "port add phy:7 rx mrg",
                "port add phy:8 rx mrg", "port add phy:9 rx mrg",
                "port add phy:1 tx mrg"]
    vlan = scen.startswith("vlan_k")
    if scen.startswith("classify_") or vlan:
        op = " del_vlantag" if vlan else ""
        cmds = ["component start cls 1 classifier", "port add phy:0 rx cls"]
        cmds += ["port add phy:%d tx cls%s" % (p, op) for p in range(1, 6)]
        for i, mac in enumerate(macs):
            if vlan:
                cmds.append("classifier_table add vlan %d %s phy:%d" % (100 + i % 4, mac,
                                                                         1 + i % 4))
            else:
                cmds.append("classifier_table add mac %s phy:%d" % (mac, 1 + i % 4))
        if default == "yes" or (default == "auto" and len(macs) < TABLE_MAX):
            cmds.append("classifier_table add mac default phy:5")
        else:
            log("no `default` entry: %d MACs %s" % (
                len(macs), "fill the table (SPEC 5.6: %d entries per process)" % TABLE_MAX
                if len(macs) >= TABLE_MAX else "(--default no)"))
        return cmds
    raise ValueError("no spp_vf configuration for scenario %r" % scen)


def json_end(buf):
    """Index just past the first complete JSON value in buf (after leading
    blanks/NULs), or -1 if it is not complete yet. Brace/bracket depth outside
    strings, escapes honoured (SPEC 4.3)."""
    i, n = 0, len(buf)
    while i < n and buf[i] in " \t\r\n\0":
        i += 1
    depth, in_str, esc, started = 0, False, False, False
    while i < n:
        c = buf[i]
        if in_str:
            if esc:
                esc = False
            elif c == "\\":
                esc = True
            elif c == '"':
                in_str = False
        elif c == '"':
            in_str = True
        elif c in "{[":
            depth += 1
            started = True
        elif c in "}]":
            depth -= 1
            if depth == 0 and started:
                return i + 1
        i += 1
    return -1


class Conn:
    def __init__(self, sock, timeout):
        self.sock = sock
        self.timeout = timeout
        self.buf = ""

    def request(self, cmd):
        self.sock.sendall((cmd + "\n").encode())
        deadline = time.monotonic() + self.timeout
        while True:
            end = json_end(self.buf)
            if end >= 0:
                text, self.buf = self.buf[:end], self.buf[end:]
                return json.loads(text.strip(" \t\r\n\0"))
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no reply to %r within %.0f s" % (cmd, self.timeout))
            self.sock.settimeout(left)
            try:
                data = self.sock.recv(65536)
            except InterruptedError:
                continue
            if not data:
                raise ConnectionError("spp_vf closed the connection (command %r)" % cmd)
            self.buf += data.decode("utf-8", errors="replace")


def pdeathsig():
    """In the child: get SIGTERM if the wrapper dies."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:  # noqa: BLE001 - best effort
        pass


def write_atomic(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        fh.write(text)
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scenario", help="scenario name (see above)")
    ap.add_argument("--macs", help="file with the K destination MACs, one per line")
    ap.add_argument("--commands", help="file of commands instead of --scenario")
    ap.add_argument("--default", choices=("auto", "yes", "no"), default="auto",
                    help="classifier `default` entry (auto: only if K < 4096)")
    ap.add_argument("--ready-file", help="written once configured")
    ap.add_argument("--status-file", help="SIGUSR1 writes the `status` reply here")
    ap.add_argument("--process-type", choices=("auto", "vf", "mirror", "any"), default="auto",
                    help="process_type _get_client_id must report (auto: by scenario)")
    ap.add_argument("--listen", default="127.0.0.1")
    ap.add_argument("--accept-timeout", type=float, default=60.0)
    ap.add_argument("--cmd-timeout", type=float, default=10.0)
    ap.add_argument("--cpus", default="0",
                    help="CPUs this wrapper moves to once spp_vf started (default 0)")
    ap.add_argument("cmd", nargs=argparse.REMAINDER, help="-- spp_vf command line")
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd[:1] == ["--"] else a.cmd
    if not cmd:
        ap.error("no spp_vf command given after --")

    if a.commands:
        with open(a.commands) as fh:
            cmds = [ln.strip() for ln in fh if ln.strip() and not ln.startswith("#")]
    elif a.scenario:
        macs = []
        if a.macs:
            with open(a.macs) as fh:
                macs = [ln.strip() for ln in fh if ln.strip()]
        try:
            cmds = scenario_commands(a.scenario, macs, a.default)
        except ValueError as e:
            log("FAILED: %s" % e)
            return 2
    else:
        ap.error("need --scenario or --commands")
    want_type = a.process_type
    if want_type == "auto":
        want_type = "any" if a.commands else (
            "mirror" if a.scenario.startswith("mirror_") else "vf")
    want_types = ("vf", "mirror") if want_type == "any" else (want_type,)

    lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind((a.listen, 0))
    lsock.listen(4)
    port = lsock.getsockname()[1]
    cmd = [c.replace("{CTLPORT}", str(port)) for c in cmd]

    # Signals that arrive before the child exists are remembered and replayed.
    pending = []
    child = None

    def on_stop(sig, _frame):
        if child is None:
            pending.append(sig)
            return
        if child.poll() is None:
            log("signal %d: forwarding to spp_vf (pid %d)" % (sig, child.pid))
            try:
                child.send_signal(sig)
            except ProcessLookupError:
                pass
        pending.append(sig)

    status_wanted = []
    signal.signal(signal.SIGINT, on_stop)
    signal.signal(signal.SIGTERM, on_stop)
    signal.signal(signal.SIGUSR1, lambda s, f: status_wanted.append(s))

    log("listening on %s:%d; starting: %s" % (a.listen, port, " ".join(cmd)))
    child = subprocess.Popen(cmd, preexec_fn=pdeathsig)
    if a.cpus:
        try:
            os.sched_setaffinity(0, {int(x) for x in a.cpus.split(",")})
        except OSError as e:
            log("warning: cannot pin the wrapper to CPUs %s: %s" % (a.cpus, e))
    if pending:
        child.send_signal(pending[0])

    def stop_child(sig=signal.SIGINT, grace=8.0):
        if child.poll() is None:
            child.send_signal(sig)
            try:
                child.wait(grace)
            except subprocess.TimeoutExpired:
                child.kill()
        return child.wait()

    def fail(msg, code=3):
        log("FAILED: " + msg)
        rc = stop_child()
        log("spp_vf exited with status %d" % rc)
        return code

    # Accept spp_vf's connection (it retries every <= 1 s).
    t0 = time.monotonic()
    lsock.settimeout(0.2)
    conn_sock = None
    while conn_sock is None:
        if pending:
            rc = stop_child(pending[0])
            log("stopped before spp_vf connected; spp_vf exited with status %d" % rc)
            return rc if rc >= 0 else 128 - rc
        if child.poll() is not None:
            log("FAILED: spp_vf exited with status %d before connecting" % child.returncode)
            return 4
        if time.monotonic() - t0 > a.accept_timeout:
            return fail("spp_vf did not connect to 127.0.0.1:%d within %.0f s"
                        % (port, a.accept_timeout))
        try:
            conn_sock, peer = lsock.accept()
        except (socket.timeout, InterruptedError):
            continue
    conn_sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    conn = Conn(conn_sock, a.cmd_timeout)
    t_conn = time.monotonic()
    log("spp_vf connected from %s:%d after %.2f s" % (peer[0], peer[1], t_conn - t0))

    try:
        r = conn.request("_get_client_id")
        if r.get("results") != SUCCESS["results"] or r.get("process_type") not in want_types:
            return fail("_get_client_id -> %s (want success, process_type %s)" % (
                json.dumps(r), " or ".join(want_types)))
        ptype = r.get("process_type")
        log("registered: client_id %s, process_type %s" % (r.get("client_id"),
                                                           r.get("process_type")))
        for n, c in enumerate(cmds, 1):
            if pending:
                break
            r = conn.request(c)
            if r != SUCCESS:
                return fail("command %d/%d %r -> %s (after %.2f s)" % (
                    n, len(cmds), c, json.dumps(r), time.monotonic() - t_conn))
    except (OSError, ValueError) as e:  # timeouts, resets, bad JSON
        return fail("%s: %s" % (type(e).__name__, e))
    if pending:
        rc = stop_child(pending[0])
        log("stopped during configuration; spp_vf exited with status %d" % rc)
        return rc if rc >= 0 else 128 - rc
    dt = time.monotonic() - t_conn
    log("configured: %d commands succeeded in %.2f s" % (len(cmds), dt))
    if a.ready_file:
        write_atomic(a.ready_file, json.dumps({
            "ctl_port": port, "pid": os.getpid(), "spp_vf_pid": child.pid,
            "process_type": ptype,
            "commands": len(cmds), "config_s": round(dt, 3)}) + "\n")

    # Idle until signalled; answer SIGUSR1 with a status snapshot.
    while not pending:
        if child.poll() is not None:
            log("FAILED: spp_vf exited on its own with status %d" % child.returncode)
            return 4
        if status_wanted:
            status_wanted.clear()
            try:
                r = conn.request("status")
                if a.status_file:
                    write_atomic(a.status_file, json.dumps(r) + "\n")
            except (OSError, ValueError) as e:
                log("status failed: %s: %s" % (type(e).__name__, e))
                if a.status_file:
                    write_atomic(a.status_file, json.dumps({"error": str(e)}) + "\n")
        time.sleep(0.1)

    # on_stop forwarded the signal (and forwards any later one: the harness
    # escalates SIGINT -> SIGTERM -> SIGKILL); wait for spp_vf to exit.
    rc = child.wait()
    log("spp_vf exited with status %d" % rc)
    conn_sock.close()
    lsock.close()
    return rc if rc >= 0 else 128 - rc


if __name__ == "__main__":
    sys.exit(main())
