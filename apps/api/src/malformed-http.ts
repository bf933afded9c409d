import { type Server, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

const answers: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'headers_too_large', 'the request headers are too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'request_timeout', 'the request took too long to arrive'],
};

/**
 * Requests Node's HTTP parser refuses before Express sees them (bytes that are not HTTP, an
 * unknown method, a bad header) get a 4xx in the API's one error shape instead of Node's
 * bare 400, and their connection is closed.
 */
export function answerMalformedRequests(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    // As Node's own handler: no reply when the peer is gone or a response is already on its way.
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (err.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const [status, type, message] = answers[err.code ?? ''] ?? [400, 'malformed_request', 'the request is not valid HTTP/1.1'];
    const json = JSON.stringify({ error: { type, message } });
    // A reply to HEAD has no body (the request line is at the start of the packet when it is small).
    const head = (err as { rawPacket?: Buffer }).rawPacket?.subarray(0, 5).toString('latin1') === 'HEAD ';
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\n` +
        `content-length: ${Buffer.byteLength(json)}\r\nconnection: close\r\n\r\n${head ? '' : json}`,
    );
  });
}
