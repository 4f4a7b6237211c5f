#!/usr/bin/python3
"""A real SMTP server for the reminder tests (Debian's python3-aiosmtpd).

    sink.py PORT FILE [--refuse N]

Listens on 127.0.0.1:PORT; every message it takes is parsed and written to FILE as one JSON
line (envelope recipients, To, Subject, Content-Language, Auto-Submitted, Message-ID and the
decoded body). With --refuse N it answers the first N messages "451 try again later".
Prints "ready" when it listens; runs until killed.
"""
import argparse
import email
import email.policy
import json
import threading

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, path, refuse):
        self.path = path
        self.refuse = refuse
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.refuse > 0:
                self.refuse -= 1
                return "451 4.3.0 try again later"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        record = {
            "rcpt": envelope.rcpt_tos,
            "mail_from": envelope.mail_from,
            "to": str(message["To"]),
            "subject": str(message["Subject"]),
            "language": message["Content-Language"],
            "auto_submitted": message["Auto-Submitted"],
            "message_id": message["Message-ID"],
            "body": message.get_content(),
        }
        with self.lock, open(self.path, "a", encoding="utf-8") as out:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        return "250 OK"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("file")
    parser.add_argument("--refuse", type=int, default=0)
    args = parser.parse_args()
    controller = Controller(Sink(args.file, args.refuse), hostname="127.0.0.1", port=args.port)
    controller.start()
    print("ready", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
