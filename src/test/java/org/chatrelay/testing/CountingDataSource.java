package org.chatrelay.testing;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

/**
 * A DataSource that counts what its callers send: statements executed (an {@code executeBatch} counts once, as
 * pgjdbc sends a batch in one round trip) and commits. On PostgreSQL each is one round trip (pgjdbc sends the
 * transaction's BEGIN with its first statement and nothing for {@code setAutoCommit}), so the two counts are what a
 * transaction waits for; on H2, in the caller's process, the commits are what costs.
 */
public final class CountingDataSource {
    private final AtomicInteger statements = new AtomicInteger();
    private final AtomicInteger commits = new AtomicInteger();
    private final DataSource counted;

    public CountingDataSource(DataSource target) {
        this.counted = proxy(DataSource.class, target, name -> { }, result -> result instanceof Connection c ? connection(c) : result);
    }

    public DataSource dataSource() {
        return counted;
    }

    public int statements() {
        return statements.get();
    }

    public int commits() {
        return commits.get();
    }

    /** Statements plus commits: the round trips a PostgreSQL connection made. */
    public int roundTrips() {
        return statements() + commits();
    }

    public void reset() {
        statements.set(0);
        commits.set(0);
    }

    private Connection connection(Connection c) {
        return proxy(Connection.class, c, name -> {
            if (name.equals("commit")) {
                commits.incrementAndGet();
            }
        }, result -> result instanceof Statement s ? statement(s) : result);
    }

    private Object statement(Statement s) {
        Class<?> type = s instanceof java.sql.PreparedStatement ? java.sql.PreparedStatement.class : Statement.class;
        return proxy(type, s, name -> {
            if (name.startsWith("execute")) {
                statements.incrementAndGet();
            }
        }, result -> result);
    }

    /** Counted before the call, so a statement the database refused still counts: it made its round trip. */
    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<?> type, Object target, Consumer<String> before, UnaryOperator<Object> wrap) {
        InvocationHandler h = (p, m, args) -> {
            before.accept(m.getName());
            try {
                return wrap.apply(m.invoke(target, args));
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (T) Proxy.newProxyInstance(CountingDataSource.class.getClassLoader(), new Class<?>[] {type}, h);
    }
}
