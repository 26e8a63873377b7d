#!/usr/bin/env python3
"""Does a milter take a second SMTP session on one connection (SMFIC_QUIT_NC, protocol 6)?

Usage: scripts/quit-nc-probe.py SOCKET_PATH

Speaks the milter protocol to a child on a unix socket: negotiates version 6, runs one whole
message (connect, HELO, MAIL, RCPT, end of headers, end of message), sends QUIT_NC ('K', "quit,
new connection follows"), then a second CONNECT, and reports whether the child answered it.
Reusing child connections across MTA sessions would save the manager a connect, a negotiation
and a close per child per session; it is only possible with children that answer here.
Prints one line, "answered" or "not answered (...)", and exits 0 either way (2 on a broken peer).
"""
import socket
import struct
import sys


def frame(code, data=b""):
    return struct.pack(">I", len(data) + 1) + code + data


def replies(sock, wait):
    """Every packet the child sends within `wait` seconds of silence, as codes."""
    codes = []
    sock.settimeout(wait)
    try:
        while True:
            header = sock.recv(4)
            if not header:
                codes.append("EOF")
                break
            length = struct.unpack(">I", header)[0]
            body = b""
            while len(body) < length:
                chunk = sock.recv(length - len(body))
                if not chunk:
                    raise ConnectionError("connection closed inside a packet")
                body += chunk
            codes.append(chr(body[0]))
    except socket.timeout:
        pass
    return codes


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    connect = frame(b"C", b"client.example\x004" + struct.pack(">H", 25) + b"192.0.2.1\x00")
    message = [
        frame(b"H", b"client.example\x00"),
        frame(b"M", b"<sender@example.com>\x00"),
        frame(b"R", b"<receiver@example.org>\x00"),
        frame(b"N"),
        frame(b"E"),
    ]
    try:
        sock = socket.socket(socket.AF_UNIX)
        sock.connect(sys.argv[1])
        sock.sendall(frame(b"O", struct.pack(">III", 6, 0x1FF, 0x1FFFFF)))
        negotiated = replies(sock, 1.0)
        if negotiated[:1] != ["O"]:
            print(f"not answered (no negotiation reply: {negotiated})")
            return 2
        for packet in [connect] + message:
            sock.sendall(packet)
            if not replies(sock, 1.0):
                print("not answered (the first session itself stalled)")
                return 2
        sock.sendall(frame(b"K"))
        sock.sendall(connect)
        second = replies(sock, 1.0)
        sock.sendall(frame(b"Q"))
        sock.close()
    except OSError as error:
        print(f"not answered ({error})")
        return 2
    if second[:1] == ["c"]:
        print("answered")
    else:
        print(f"not answered (after QUIT_NC the second CONNECT got {second or 'no reply within 1 s'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
