package io.chipwatch.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/**
 * HTTP by hand on a socket, for what {@link java.net.http.HttpClient} will not send (a forged {@code Host}, a body
 * that trickles in): the whole answer as text, and how long the server took to close the connection.
 */
public final class RawHttp {
    private RawHttp() {
    }

    /** What came back, and after how long (from the last byte sent). */
    public record Answer(String text, long millis) {
        /** The status code of the answer, or 0 when the server closed without one. */
        public int status() {
            return text.startsWith("HTTP/1.1 ") ? Integer.parseInt(text.substring(9, 12)) : 0;
        }

        /** The body, after the headers. */
        public String body() {
            int i = text.indexOf("\r\n\r\n");
            return i < 0 ? "" : text.substring(i + 4);
        }
    }

    /** Sends {@code request} (head and body, as is) and reads until the server closes the connection. */
    public static Answer send(int port, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            try {
                s.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
                s.getOutputStream().flush();
            } catch (SocketException e) {
                // the server answered and closed before taking the whole request (e.g. 413): read its answer
            }
            return readAll(s, System.nanoTime());
        }
    }

    /**
     * Sends {@code head}, then the body one byte every {@code pauseMillis} until the server closes the connection or
     * the body is sent.
     */
    public static Answer trickle(int port, String head, String body, long pauseMillis) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long start = System.nanoTime();
            try {
                for (byte b : body.getBytes(StandardCharsets.UTF_8)) {
                    Thread.sleep(pauseMillis);
                    if (s.getInputStream().available() > 0) {
                        break;
                    }
                    out.write(b);
                    out.flush();
                }
            } catch (SocketException e) {
                // the server closed the connection: what it said is read below
            }
            return readAll(s, start);
        }
    }

    private static Answer readAll(Socket s, long start) throws IOException {
        InputStream in = s.getInputStream();
        String text;
        try {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (SocketException e) {
            text = "";
        }
        return new Answer(text, (System.nanoTime() - start) / 1_000_000);
    }
}
