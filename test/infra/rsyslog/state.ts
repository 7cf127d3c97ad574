// Shape of $PEREGRINE_IT_STATE/rsyslog.json, written by test/infra/rsyslog/start.sh.
// Usage: const rs = await useInfra<RsyslogInfra>('rsyslog');
//        syslog: {host: rs.host, port: rs.tcpPort, protocol: tcp}; read back the lines of rs.messages.
// The server is Debian's rsyslogd (8.2302), foreground, imtcp + imudp on 127.0.0.1 only, maxMessageSize 256k.

/** One line of `messages`: what rsyslog parsed from one received message (its property names in comments). */
export interface RsyslogMessage {
  /** "tcp" or "udp" (inputname). */
  input: string;
  /** PRI as text, e.g. "13" (pri). */
  pri: string;
  /** Facility number as text, "0" = kern (syslogfacility). */
  facility: string;
  /** Severity number as text, "5" = notice (syslogseverity). */
  severity: string;
  /** The header's timestamp, RFC 3339 with microseconds (timereported). */
  timereported: string;
  /** The header's HOSTNAME (hostname). */
  hostname: string;
  /** "Falco[1234]:" (syslogtag). */
  syslogtag: string;
  /** "Falco" (programname). */
  programname: string;
  /** "1234" (procid). */
  procid: string;
  /** The message after the tag, with the space that follows the tag's colon (msg). */
  msg: string;
  /** The whole message as received, without the framing newline (rawmsg). */
  rawmsg: string;
}

export interface RsyslogInfra {
  /** "127.0.0.1" */
  host: string;
  /** imtcp: newline-framed (and octet-counted) messages. */
  tcpPort: number;
  /** imudp: one message per datagram. */
  udpPort: number;
  /** JSON lines, one RsyslogMessage per received message (start.sh's readiness probes have programname "probe"). */
  messages: string;
  /** The generated rsyslog.conf. */
  config: string;
  /** rsyslogd's own output. */
  log: string;
}
