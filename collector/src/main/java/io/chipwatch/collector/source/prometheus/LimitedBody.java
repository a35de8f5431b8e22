package io.chipwatch.collector.source.prometheus;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/** A response body collected up to a size limit: past it the subscription is cancelled and the body fails. */
final class LimitedBody {

    /** The body was larger than the limit. */
    static final class TooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLarge(int limit) {
            super("body over " + limit + " bytes");
        }
    }

    private LimitedBody() {
    }

    static BodySubscriber<byte[]> subscriber(int limit) {
        return new Subscriber(limit);
    }

    /** The body as UTF-8 text (the format's encoding). */
    static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }

    private static final class Subscriber implements BodySubscriber<byte[]> {
        private final int limit;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 15);
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        Subscriber(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer b : items) {
                if (out.size() + b.remaining() > limit) {
                    subscription.cancel();
                    result.completeExceptionally(new TooLarge(limit));
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                out.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(out.toByteArray());
        }
    }
}
