package com.dooneflow.persistence.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

import com.dooneflow.api.ExecutionFilter;
import com.dooneflow.api.Page;
import com.dooneflow.api.spi.TriggerSink;
import com.dooneflow.api.store.AttemptRow;
import com.dooneflow.api.store.Claim;
import com.dooneflow.api.store.ExecutionRow;
import com.dooneflow.api.store.ExecutionStore;
import com.dooneflow.api.store.StepRow;

/**
 * The execution spine in plain SQL (the same statements on PostgreSQL and H2). An execution is due when
 * {@code next_attempt_at} has passed: queued and waiting ones at their next attempt, running ones when their
 * lease expires (a crashed node's work is reclaimed). Every write about a claimed execution checks the
 * claim's lease token, so a worker that lost its lease changes nothing.
 */
@Component(service = ExecutionStore.class, configurationPid = "com.dooneflow",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class ExecutionStoreImpl implements ExecutionStore {

    private static final String COLUMNS = "e.id, e.org_id, e.workflow_id, e.workflow_version, e.status, t.trigger_type, "
            + "t.data, e.variables, e.current_step, e.waiting_for, e.error, e.next_attempt_at, e.created_at, "
            + "e.started_at, e.finished_at, e.cancel_requested, e.test_run";
    private static final String FROM = " from df_execution e join df_trigger_event t on t.id = e.trigger_event_id";

    private final Database db;
    private final IntakeBatcher batcher;
    private final StepBatcher steps;
    /** A node that beat within this time runs its advertised types (the cluster's {@code nodeDeadSeconds}). */
    private final Duration nodeDeadAfter;

    @Activate
    public ExecutionStoreImpl(@Reference Database db, Map<String, Object> config) {
        this(db, NodeRegistryImpl.deadAfter(config));
    }

    ExecutionStoreImpl(Database db) {
        this(db, NodeRegistryImpl.deadAfter(Map.of()));
    }

    ExecutionStoreImpl(Database db, Duration nodeDeadAfter) {
        this.db = db;
        this.nodeDeadAfter = nodeDeadAfter;
        this.batcher = new IntakeBatcher(db.dataSource(), db.intakeCommitters(), 256);
        this.steps = new StepBatcher(db.dataSource(), db.intakeCommitters(), 256, db.isPostgres());
    }

    @Deactivate
    public void close() {
        batcher.close();
        steps.close();
    }

    @Override
    public TriggerSink.Acceptance intake(String orgId, String triggerType, List<String> workflowIds, String dedupeKey,
                                         String dataJson) {
        return intake(orgId, triggerType, workflowIds, dedupeKey, dataJson, false);
    }

    @Override
    public TriggerSink.Acceptance intake(String orgId, String triggerType, List<String> workflowIds, String dedupeKey,
                                         String dataJson, boolean test) {
        return intake(orgId, triggerType, workflowIds, dedupeKey, dataJson, test, Map.of());
    }

    @Override
    public TriggerSink.Acceptance intake(String orgId, String triggerType, List<String> workflowIds, String dedupeKey,
                                         String dataJson, boolean test, Map<String, Integer> workflowVersions) {
        return intakeLeased(orgId, triggerType, workflowIds, dedupeKey, dataJson, test, workflowVersions, null, null)
                .acceptance();
    }

    @Override
    public LeasedIntake intakeLeased(String orgId, String triggerType, List<String> workflowIds, String dedupeKey,
                                     String dataJson, boolean test, Map<String, Integer> workflowVersions,
                                     String node, Duration lease) {
        return batcher.submit(new IntakeBatcher.Request(orgId, triggerType,
                workflowIds == null ? List.of() : List.copyOf(workflowIds),
                dedupeKey == null ? null : DedupeStoreImpl.storedKey(dedupeKey), dataJson, test,
                workflowVersions == null ? Map.of() : Map.copyOf(workflowVersions), node, lease));
    }

    private static final String INSERT_EXECUTION = "insert into df_execution (id, org_id, workflow_id, "
            + "workflow_version, trigger_event_id, status, current_step, next_attempt_at, created_at, test_run) "
            + "values (?, ?, ?, ?, ?, 'queued', 0, ?, ?, ?)";
    /** An execution that starts out leased to the node that accepted it, as a claim would have left it. */
    private static final String INSERT_LEASED_EXECUTION = "insert into df_execution (id, org_id, workflow_id, "
            + "workflow_version, trigger_event_id, status, current_step, next_attempt_at, created_at, test_run, "
            + "lease_owner, lease_until, started_at, attempt_started_at) "
            + "values (?, ?, ?, ?, ?, 'running', 0, ?, ?, ?, ?, ?, ?, ?)";

    /**
     * Writes a batch of intakes in the caller's transaction. Keyed ones go one by one (a repeated key returns
     * the first delivery's executions, even within the batch); the others share one target lookup per
     * workflow set and batched inserts. The target lookup also reads each workflow's version, so a request routed
     * by an older version than the stored one is answered stale, with nothing written, at no extra cost.
     */
    static List<LeasedIntake> write(Connection c, List<IntakeBatcher.Request> batch) throws SQLException {
        LeasedIntake[] results = new LeasedIntake[batch.size()];
        Map<String, List<String[]>> targetsByRoute = new HashMap<>();
        Instant now = now();
        try (PreparedStatement events = c.prepareStatement("insert into df_trigger_event (id, org_id, trigger_type, "
                + "dedupe_key, data, received_at) values (?, ?, ?, ?, ?, ?)");
             NewExecutions executions = new NewExecutions(c, now)) {
            for (int i = 0; i < batch.size(); i++) {
                IntakeBatcher.Request r = batch.get(i);
                if (r.dedupeKey() != null) {
                    results[i] = writeKeyed(c, r, now);
                    continue;
                }
                List<String[]> targets = targetsByRoute.computeIfAbsent(r.route(), k -> {
                    try {
                        return targets(c, r.orgId(), r.triggerType(), r.workflowIds());
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                if (r.staleAgainst(targets)) {
                    results[i] = new LeasedIntake(TriggerSink.Acceptance.staleRouting(), Optional.empty());
                    continue;
                }
                String eventId = Ids.uuid();
                events.setString(1, eventId);
                events.setString(2, r.orgId());
                events.setString(3, r.triggerType());
                events.setNull(4, java.sql.Types.VARCHAR);
                events.setString(5, r.dataJson());
                Jdbc.setInstant(events, 6, now);
                events.addBatch();
                results[i] = executions.add(r, eventId, targets);
            }
            events.executeBatch();
            executions.execute();
        }
        return List.of(results);
    }

    private static LeasedIntake writeKeyed(Connection c, IntakeBatcher.Request r, Instant now) throws SQLException {
        // Stale routing first: a caller checked against an old trigger learns nothing, not even of an earlier delivery.
        List<String[]> targets = targets(c, r.orgId(), r.triggerType(), r.workflowIds());
        if (r.staleAgainst(targets)) {
            return new LeasedIntake(TriggerSink.Acceptance.staleRouting(), Optional.empty());
        }
        Optional<TriggerSink.Acceptance> seen = previous(c, r.orgId(), r.triggerType(), r.dedupeKey());
        if (seen.isPresent()) {
            return new LeasedIntake(seen.get(), Optional.empty());
        }
        String eventId = Ids.uuid();
        var savepoint = c.setSavepoint();
        try {
            Jdbc.update(c, "insert into df_trigger_event (id, org_id, trigger_type, dedupe_key, data, received_at) "
                    + "values (?, ?, ?, ?, ?, ?)", eventId, r.orgId(), r.triggerType(), r.dedupeKey(), r.dataJson(), now);
        } catch (SQLException e) {
            if (Jdbc.isDuplicate(e)) {
                // Another node committed the same key meanwhile.
                c.rollback(savepoint);
                return new LeasedIntake(previous(c, r.orgId(), r.triggerType(), r.dedupeKey()).orElseThrow(() -> e),
                        Optional.empty());
            }
            throw e;
        }
        try (NewExecutions executions = new NewExecutions(c, now)) {
            LeasedIntake written = executions.add(r, eventId, targets);
            executions.execute();
            return written;
        }
    }

    /**
     * The executions of a batch of intakes, inserted in two batched statements: queued ones, and those leased at once
     * to the node that accepted them (the first of an intake that asks for it).
     */
    private static final class NewExecutions implements AutoCloseable {
        private final PreparedStatement queued;
        private final PreparedStatement leased;
        private final Instant now;
        private int queuedRows;
        private int leasedRows;

        NewExecutions(Connection c, Instant now) throws SQLException {
            this.queued = c.prepareStatement(INSERT_EXECUTION);
            this.leased = c.prepareStatement(INSERT_LEASED_EXECUTION);
            this.now = now;
        }

        /** Adds one execution per target; the answer names them all and holds the claim of the leased one. */
        LeasedIntake add(IntakeBatcher.Request r, String eventId, List<String[]> targets) throws SQLException {
            List<String> ids = new ArrayList<>();
            Optional<Claim> claim = Optional.empty();
            for (String[] target : targets) {
                String id = Ids.uuid();
                int version = Integer.parseInt(target[1]);
                if (r.leaseTo() != null && claim.isEmpty()) {
                    String token = leaseToken(r.leaseTo());
                    Instant until = now.plus(r.lease());
                    Jdbc.bind(leased, id, r.orgId(), target[0], version, eventId, until, now, r.test(), token, until,
                            now, now);
                    leased.addBatch();
                    leasedRows++;
                    claim = Optional.of(new Claim(new ExecutionRow(id, r.orgId(), target[0], version, "running",
                            r.triggerType(), r.dataJson(), null, 0, null, null, until, now, now, null, false, r.test()),
                            token, 0));
                } else {
                    Jdbc.bind(queued, id, r.orgId(), target[0], version, eventId, now, now, r.test());
                    queued.addBatch();
                    queuedRows++;
                }
                ids.add(id);
            }
            return new LeasedIntake(new TriggerSink.Acceptance(ids, false), claim);
        }

        void execute() throws SQLException {
            if (queuedRows > 0) {
                queued.executeBatch();
            }
            if (leasedRows > 0) {
                leased.executeBatch();
            }
        }

        @Override
        public void close() throws SQLException {
            try (queued; leased) {
                // closes both, the second even when closing the first fails
            }
        }
    }

    /** A lease holder's token: the node, then random, so a stale holder can never pass for the new one. */
    private static String leaseToken(String node) {
        String holder = node.length() > 80 ? node.substring(0, 80) : node;
        return holder + ":" + Ids.randomToken(12);
    }

    private static Optional<TriggerSink.Acceptance> previous(Connection c, String orgId, String type, String key)
            throws SQLException {
        try (PreparedStatement ps = Jdbc.bind(c.prepareStatement("select e.id from df_trigger_event t "
                        + "left join df_execution e on e.trigger_event_id = t.id "
                        + "where t.org_id = ? and t.trigger_type = ? and t.dedupe_key = ? order by e.created_at, e.id"),
                orgId, type, key); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            List<String> ids = new ArrayList<>();
            do {
                if (rs.getString(1) != null) {
                    ids.add(rs.getString(1));
                }
            } while (rs.next());
            return Optional.of(new TriggerSink.Acceptance(ids, true));
        }
    }

    /** (workflow id, version) of the enabled workflows the event fires, re-checked inside the transaction. */
    private static List<String[]> targets(Connection c, String orgId, String type, List<String> workflowIds)
            throws SQLException {
        StringBuilder sql = new StringBuilder("select id, version from df_workflow where org_id = ? and trigger_type = ? "
                + "and enabled = ? and deleted_at is null");
        List<Object> args = new ArrayList<>(List.of(orgId, type, true));
        if (workflowIds != null && !workflowIds.isEmpty()) {
            sql.append(" and id in (").append(marks(workflowIds.size())).append(')');
            args.addAll(workflowIds);
        }
        sql.append(" order by created_at, id");
        List<String[]> result = new ArrayList<>();
        try (PreparedStatement ps = Jdbc.bind(c.prepareStatement(sql.toString()), args.toArray());
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                result.add(new String[] {rs.getString(1), String.valueOf(rs.getInt(2))});
            }
        }
        return result;
    }

    @Override
    public List<Claim> claim(String node, int max, Duration lease) {
        return claim(node, max, lease, Integer.MAX_VALUE, Map.of());
    }

    @Override
    public List<Claim> claim(String node, int max, Duration lease, int perOrganization, Map<String, Integer> running) {
        return claim(node, max, lease, perOrganization, running, null);
    }

    @Override
    public List<Claim> claim(String node, int max, Duration lease, int perOrganization, Map<String, Integer> running,
                             Set<String> actionTypes) {
        if (max <= 0) {
            return List.of();
        }
        Instant now = now();
        Instant until = now.plus(lease);
        // One short transaction: lock due rows others have not locked, lease them, read them back.
        boolean postgres = db.isPostgres();
        return Jdbc.tx(db.dataSource(), c -> {
            if (postgres) {
                // Read the due index in order and stop at the limit. With a bitmap scan (which the planner picks when
                // its statistics lag behind a fast-growing queue) every claim reads and sorts the whole backlog:
                // 9 ms instead of 0.5 ms at a backlog of 2,600 (EXPLAIN ANALYZE, README's benchmark section).
                try (Statement s = c.createStatement()) {
                    s.execute("set local enable_bitmapscan = off");
                }
            }
            Map<String, Integer> counts = FairPick.counts(running);
            // On PostgreSQL organizations already at their share are looked past from the start (see lockDueOfOthers).
            Set<String> full = postgres ? FairPick.atShare(counts, perOrganization) : new HashSet<>();
            Set<String> abandoned = new HashSet<>();
            List<FairPick.Due> due = new ArrayList<>();
            if (full.isEmpty()) {
                // With a limit, a window wider than what is taken, so organizations further back in it get their turn.
                int window = perOrganization == Integer.MAX_VALUE ? max : Math.min(max * 2, max + 64);
                due.addAll(FairPick.pick(lockDue(c, postgres, now, window, Set.of(), actionTypes, abandoned), max,
                        perOrganization, counts, full));
            }
            if (due.size() < max && !full.isEmpty()) {
                // Organizations at their limit: look past their backlog for the others' work.
                List<FairPick.Due> others = postgres
                        ? lockDueOfOthers(c, now, max - due.size(), perOrganization, full, actionTypes, abandoned)
                        : lockDue(c, false, now, max - due.size(), full, actionTypes, abandoned);
                due.addAll(FairPick.pick(others, max - due.size(), perOrganization, counts, full));
            }
            if (due.isEmpty()) {
                return List.of();
            }
            List<Lease> leases = due.stream().map(d -> new Lease(d.id(), leaseToken(node))).toList();
            return postgres ? leaseReturning(c, leases, now, until, abandoned) : lease(c, leases, now, until, abandoned);
        });
    }

    /** What a lease sets besides its holder; binds lease_until, next_attempt_at, started_at, attempt_started_at. */
    private static final String LEASE_SET = "status = 'running', lease_until = ?, next_attempt_at = ?, "
            + "waiting_for = null, started_at = coalesce(e.started_at, ?), attempt_started_at = ?";
    /** The claimed rows as a claim needs them: the execution, its trigger's data, its current step's attempts. */
    private static final String CLAIMED = COLUMNS + ", e.lease_owner, (select s.attempts from df_execution_step s "
            + "where s.execution_id = e.id and s.step_index = e.current_step) as step_attempts";

    /** An execution being claimed and the token its new lease holder goes by. */
    private record Lease(String id, String token) {
    }

    /** Leases the locked executions and reads them back: two statements. */
    private static List<Claim> lease(Connection c, List<Lease> leases, Instant now, Instant until,
                                     Set<String> abandoned) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update df_execution e set lease_owner = ?, " + LEASE_SET
                + " where e.id = ?")) {
            for (Lease lease : leases) {
                Jdbc.bind(ps, lease.token(), until, until, now, now, lease.id());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = Jdbc.bind(c.prepareStatement("select " + CLAIMED + FROM + " where e.id in ("
                + marks(leases.size()) + ")"), leases.stream().map(Lease::id).toArray())) {
            return claims(ps, abandoned);
        }
    }

    /** PostgreSQL: the same in one statement (a round trip fewer per claim), RETURNING the leased rows. */
    private static List<Claim> leaseReturning(Connection c, List<Lease> leases, Instant now, Instant until,
                                              Set<String> abandoned) throws SQLException {
        List<Object> args = new ArrayList<>(List.of(until, until, now, now));
        for (Lease lease : leases) {
            args.add(lease.id());
            args.add(lease.token());
        }
        try (PreparedStatement ps = Jdbc.bind(c.prepareStatement("update df_execution e set lease_owner = v.token, "
                + LEASE_SET + " from (values "
                + "(?, ?),".repeat(leases.size()).replaceAll(",$", "") + ") as v(id, token), df_trigger_event t "
                + "where e.id = v.id and t.id = e.trigger_event_id returning " + CLAIMED), args.toArray())) {
            return claims(ps, abandoned);
        }
    }

    private static List<Claim> claims(PreparedStatement ps, Set<String> abandoned) throws SQLException {
        List<Claim> claims = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ExecutionRow row = row(rs);
                claims.add(new Claim(row, rs.getString("lease_owner"), rs.getInt("step_attempts"),
                        abandoned.contains(row.id())));
            }
        }
        return claims;
    }

    /**
     * Locks up to {@code limit} due executions others have not locked, oldest due first, of organizations not in
     * {@code excluded}. Ends at once those whose cancellation was asked while their holder went away; adds the ids
     * of running ones (due only when their lease ran out) to {@code abandoned}.
     */
    private static List<FairPick.Due> lockDue(Connection c, boolean postgres, Instant now, int limit,
                                              Set<String> excluded, Set<String> actionTypes, Set<String> abandoned)
            throws SQLException {
        if (!postgres) {
            return lockDueOnH2(c, now, limit, excluded, actionTypes, abandoned);
        }
        List<Object> args = new ArrayList<>(List.of(now));
        String sql = "select e.id, e.org_id, e.status, e.cancel_requested from df_execution e where " + DUE
                + dueFilter(excluded, actionTypes, args) + " order by e.next_attempt_at fetch first " + limit
                + " rows only for update skip locked";
        try (PreparedStatement ps = Jdbc.bind(c.prepareStatement(sql), args.toArray())) {
            return readDue(c, ps, abandoned);
        }
    }

    /** Due ({@code next_attempt_at <= ?}, bound to {@code args} first), not of {@code excluded}, runnable here. */
    private static String dueFilter(Set<String> excluded, Set<String> actionTypes, List<Object> args) {
        args.addAll(excluded);
        String others = excluded.isEmpty() ? ""
                : " and e.org_id not in (" + marks(excluded.size()) + ")";
        return " and e.next_attempt_at <= ?" + others + runnableHere(actionTypes, args);
    }

    /**
     * H2: {@link #lockDue} in two steps. H2 reads and locks every row a {@code FOR UPDATE} query matches before it
     * sorts and limits them, so at a backlog of 32,000 a claim took tens of milliseconds and the backlog drained at
     * 166 executions/s. Here the oldest due executions of each status are read in order on (status, next_attempt_at),
     * which stops at the limit, and only those are locked, by id (skipping rows another transaction holds, as before);
     * H2 checks the condition again on a locked row.
     */
    private static List<FairPick.Due> lockDueOnH2(Connection c, Instant now, int limit, Set<String> excluded,
                                                  Set<String> actionTypes, Set<String> abandoned) throws SQLException {
        record Candidate(String id, Instant due) {
        }
        List<Candidate> candidates = new ArrayList<>();
        for (String status : List.of("queued", "waiting", "running")) {
            List<Object> args = new ArrayList<>(List.of(status, now));
            String sql = "select e.id, e.next_attempt_at from df_execution e where e.status = ?"
                    + dueFilter(excluded, actionTypes, args) + " order by e.status, e.next_attempt_at fetch first "
                    + limit + " rows only";
            try (PreparedStatement ps = Jdbc.bind(c.prepareStatement(sql), args.toArray());
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    candidates.add(new Candidate(rs.getString(1), Jdbc.getInstant(rs, "next_attempt_at")));
                }
            }
        }
        if (candidates.isEmpty()) {
            return List.of();
        }
        candidates.sort(Comparator.comparing(Candidate::due));
        List<Object> args = new ArrayList<>(candidates.stream().limit(limit).map(Candidate::id).toList());
        String ids = marks(args.size());
        args.add(now);
        try (PreparedStatement ps = Jdbc.bind(c.prepareStatement("select e.id, e.org_id, e.status, e.cancel_requested "
                + "from df_execution e where e.id in (" + ids + ") and " + DUE + " and e.next_attempt_at <= ? "
                + "order by e.next_attempt_at for update skip locked"), args.toArray())) {
            return readDue(c, ps, abandoned);
        }
    }

    /** {@code n} bind markers for an {@code IN (…)} list: "?,?,?". */
    private static String marks(int n) {
        return String.join(",", Collections.nCopies(n, "?"));
    }

    /** Executions {@code e} that hold a place in the due indexes: waiting to run, or running under a lease. */
    private static final String DUE = "e.status in ('queued', 'waiting', 'running')";

    /** Leaves executions {@code e} waiting for a type this node does not run to the nodes that do; binds to {@code args}. */
    private static String runnableHere(Set<String> actionTypes, List<Object> args) {
        if (actionTypes == null) {
            return "";
        }
        args.addAll(actionTypes);
        return actionTypes.isEmpty() ? " and e.status <> 'waiting'"
                : " and (e.status <> 'waiting' or e.waiting_for in (" + marks(actionTypes.size()) + "))";
    }

    /**
     * PostgreSQL: {@link #lockDue} for the organizations not in {@code excluded}, without reading the excluded ones'
     * backlog. Read in due order, the backlog of an organization at its share lies in front of everyone else's work,
     * and the claim read all of it each time: 13 ms per claim at a backlog of 35,000 (EXPLAIN ANALYZE), growing with
     * it, so the more work waited the slower it was taken. Instead, the organizations with unfinished work are walked
     * on the (org_id, next_attempt_at) index, one index probe each, and each one's oldest due executions are locked
     * (at most its share of them: several organizations' rows may be locked for the one claim, and the oldest kept).
     */
    private static List<FairPick.Due> lockDueOfOthers(Connection c, Instant now, int limit, int perOrganization,
                                                      Set<String> excluded, Set<String> actionTypes,
                                                      Set<String> abandoned) throws SQLException {
        List<Object> args = new ArrayList<>(List.of(now));
        // No organization gets more than its share of a claim, so none needs more of its rows locked.
        int perOrganizationLimit = Math.min(limit, perOrganization);
        String sql = "with recursive orgs(org_id) as ("
                + "(select e.org_id from df_execution e where " + DUE + " order by e.org_id fetch first 1 rows only) "
                + "union all select (select e.org_id from df_execution e where " + DUE + " and e.org_id > orgs.org_id "
                + "order by e.org_id fetch first 1 rows only) from orgs where orgs.org_id is not null) "
                + "select d.id, d.org_id, d.status, d.cancel_requested from orgs cross join lateral ("
                + "select e.id, e.org_id, e.status, e.cancel_requested, e.next_attempt_at from df_execution e "
                + "where e.org_id = orgs.org_id and " + DUE + " and e.next_attempt_at <= ?" + runnableHere(actionTypes, args)
                + " order by e.next_attempt_at fetch first " + perOrganizationLimit + " rows only for update skip locked) d "
                + "where orgs.org_id not in (" + marks(excluded.size()) + ") "
                + "order by d.next_attempt_at fetch first " + limit + " rows only";
        args.addAll(excluded);
        try (PreparedStatement ps = Jdbc.bind(c.prepareStatement(sql), args.toArray())) {
            return readDue(c, ps, abandoned);
        }
    }

    /** The due rows {@code ps} locked; ends the cancelled ones at once and adds running ones to {@code abandoned}. */
    private static List<FairPick.Due> readDue(Connection c, PreparedStatement ps, Set<String> abandoned) throws SQLException {
        List<FairPick.Due> due = new ArrayList<>();
        List<String> cancelled = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (rs.getBoolean(4)) {
                    cancelled.add(rs.getString(1)); // its holder went away before it could stop it
                    continue;
                }
                due.add(new FairPick.Due(rs.getString(1), rs.getString(2)));
                if ("running".equals(rs.getString(3))) {
                    abandoned.add(rs.getString(1));
                }
            }
        }
        for (String id : cancelled) {
            cancelNow(c, "id = ?", id);
        }
        return due;
    }

    @Override
    public boolean renew(Claim claim, Duration lease) {
        Instant until = now().plus(lease);
        return Jdbc.tx(db.dataSource(), c -> Jdbc.update(c, "update df_execution set lease_until = ?, next_attempt_at = ? "
                + "where id = ? and lease_owner = ? and status = 'running' and cancel_requested = ?",
                until, until, id(claim), claim.leaseToken(), false) == 1);
    }

    @Override
    public boolean attemptLost(Claim claim, int index, String type, String error) {
        return whileHeld(claim, c -> {
            saveStep(c, claim, index, type, "retrying", null, null, error, "lost");
            Jdbc.update(c, "update df_execution set attempt_started_at = ? where id = ?", now(), id(claim));
        });
    }

    @Override
    public boolean stopIfCancelled(Claim claim) {
        return Jdbc.tx(db.dataSource(), c -> cancelNow(c, "id = ? and lease_owner = ? and status = 'running' "
                + "and cancel_requested = ?", id(claim), claim.leaseToken(), true) == 1);
    }

    @Override
    public Optional<CancelOutcome> cancel(String orgId, String executionId) {
        return Jdbc.tx(db.dataSource(), c -> {
            String status;
            try (PreparedStatement ps = Jdbc.bind(c.prepareStatement("select status, cancel_requested, lease_until "
                    + "from df_execution where id = ? and org_id = ? for update"), executionId, orgId);
                 ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                status = rs.getString(1);
                Instant leaseUntil = Jdbc.getInstant(rs, "lease_until");
                boolean held = "running".equals(status) && leaseUntil != null && leaseUntil.isAfter(now());
                if (held) {
                    if (rs.getBoolean(2)) {
                        return Optional.of(CancelOutcome.UNCHANGED);
                    }
                    Jdbc.update(c, "update df_execution set cancel_requested = ? where id = ?", true, executionId);
                    return Optional.of(CancelOutcome.REQUESTED);
                }
            }
            if (!UNFINISHED.contains(status)) {
                return Optional.of(CancelOutcome.UNCHANGED);
            }
            cancelNow(c, "id = ?", executionId);
            return Optional.of(CancelOutcome.CANCELLED);
        });
    }

    @Override
    public int cancelUnfinished(String orgId, String workflowId) {
        return Jdbc.tx(db.dataSource(), c -> {
            Instant now = now();
            int requested = Jdbc.update(c, "update df_execution set cancel_requested = ? where org_id = ? "
                    + "and workflow_id = ? and status = 'running' and lease_until > ? and cancel_requested = ?",
                    true, orgId, workflowId, now, false);
            return requested + cancelNow(c, "org_id = ? and workflow_id = ? and (status in ('queued', 'waiting') "
                    + "or (status = 'running' and lease_until <= ?))", orgId, workflowId, now);
        });
    }

    private static final List<String> UNFINISHED = List.of("queued", "waiting", "running");

    private static int cancelNow(Connection c, String where, Object... args) throws SQLException {
        Object[] all = new Object[args.length + 2];
        all[0] = false;
        all[1] = now();
        System.arraycopy(args, 0, all, 2, args.length);
        return Jdbc.update(c, "update df_execution set status = 'cancelled', cancel_requested = ?, waiting_for = null, "
                + "lease_owner = null, lease_until = null, finished_at = ? where " + where, all);
    }

    @Override
    public boolean stepSucceeded(Claim claim, int index, String type, String input, String output, String variables) {
        return steps.submit(new StepBatcher.Succeeded(claim, index, type, input, output, variables, false));
    }

    @Override
    public boolean lastStepSucceeded(Claim claim, int index, String type, String input, String output,
                                     String variables) {
        return steps.submit(new StepBatcher.Succeeded(claim, index, type, input, output, variables, true));
    }

    /**
     * Writes a batch of succeeded steps in the caller's transaction: first the executions, each only where its claim
     * still holds the lease (the update locks the row, so a claim that lost the execution is fenced off and nobody
     * takes it over until this commits), then the attempts and steps of those it updated, all in batched statements.
     * True for each step written, false for one whose claim had lost the execution.
     */
    static List<Boolean> writeSucceeded(Connection c, List<StepBatcher.Succeeded> batch, boolean postgres)
            throws SQLException {
        Instant now = now();
        Set<String> held = updateHeldExecutions(c, batch, now);
        List<Boolean> written = new ArrayList<>(batch.size());
        List<StepBatcher.Succeeded> heldSteps = new ArrayList<>(batch.size());
        for (StepBatcher.Succeeded s : batch) {
            boolean holds = held.contains(id(s.claim()));
            written.add(holds);
            if (holds) {
                heldSteps.add(s);
            }
        }
        if (!heldSteps.isEmpty()) {
            writeSucceededSteps(c, heldSteps, now, postgres);
        }
        return written;
    }

    /**
     * Moves each execution past its succeeded step (or finishes it after its last) where the step's claim still
     * holds it; the ids it updated. Two batches never share an execution (each has one holder), so they never wait
     * on each other.
     */
    private static Set<String> updateHeldExecutions(Connection c, List<StepBatcher.Succeeded> batch, Instant now)
            throws SQLException {
        List<StepBatcher.Succeeded> next = new ArrayList<>();
        List<StepBatcher.Succeeded> done = new ArrayList<>();
        batch.forEach(s -> (s.last() ? done : next).add(s));
        Set<String> held = new HashSet<>();
        try (PreparedStatement moveOn = c.prepareStatement("update df_execution set current_step = ?, variables = ?, "
                + "error = null, attempt_started_at = ? where id = ? and lease_owner = ? and status = 'running'");
             PreparedStatement finish = c.prepareStatement("update df_execution set current_step = ?, variables = ?, "
                     + "error = null, status = 'succeeded', waiting_for = null, lease_owner = null, lease_until = null, "
                     + "cancel_requested = ?, finished_at = ? where id = ? and lease_owner = ? and status = 'running'")) {
            for (StepBatcher.Succeeded s : next) {
                Jdbc.bind(moveOn, s.index() + 1, s.variables(), now, id(s.claim()), s.claim().leaseToken());
                moveOn.addBatch();
            }
            for (StepBatcher.Succeeded s : done) {
                Jdbc.bind(finish, s.index() + 1, s.variables(), false, now, id(s.claim()), s.claim().leaseToken());
                finish.addBatch();
            }
            collectUpdated(next, next.isEmpty() ? new int[0] : moveOn.executeBatch(), held);
            collectUpdated(done, done.isEmpty() ? new int[0] : finish.executeBatch(), held);
        }
        return held;
    }

    private static void collectUpdated(List<StepBatcher.Succeeded> steps, int[] counts, Set<String> held) {
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                held.add(id(steps.get(i).claim()));
            }
        }
    }

    /** The attempts and step rows of succeeded steps whose executions were updated. */
    private static void writeSucceededSteps(Connection c, List<StepBatcher.Succeeded> held, Instant now,
                                            boolean postgres) throws SQLException {
        try (PreparedStatement attempts = c.prepareStatement(INSERT_ATTEMPT)) {
            for (StepBatcher.Succeeded s : held) {
                Jdbc.bind(attempts, id(s.claim()), s.index(), id(s.claim()), s.index(), id(s.claim()), now, "succeeded",
                        null);
                attempts.addBatch();
            }
            attempts.executeBatch();
        }
        if (postgres) {
            // One statement for a step with or without a row (a first attempt has none): a round trip fewer.
            try (PreparedStatement upsertSteps = c.prepareStatement(UPSERT_STEP)) {
                for (StepBatcher.Succeeded s : held) {
                    Jdbc.bind(upsertSteps, id(s.claim()), s.index(), s.type(), "succeeded", s.input(), s.output(), null,
                            now, now);
                    upsertSteps.addBatch();
                }
                upsertSteps.executeBatch();
            }
        } else {
            writeSteps(c, held, now);
        }
    }

    /** Succeeded steps' rows, updated, or inserted where a first attempt finds none (H2: no INSERT … ON CONFLICT). */
    private static void writeSteps(Connection c, List<StepBatcher.Succeeded> held, Instant now) throws SQLException {
        int[] updated;
        try (PreparedStatement updateSteps = c.prepareStatement(UPDATE_STEP)) {
            for (StepBatcher.Succeeded s : held) {
                Jdbc.bind(updateSteps, s.type(), "succeeded", s.input(), s.output(), null, now, id(s.claim()), s.index());
                updateSteps.addBatch();
            }
            updated = updateSteps.executeBatch();
        }
        try (PreparedStatement insertSteps = c.prepareStatement(INSERT_STEP)) {
            int inserts = 0;
            for (int i = 0; i < held.size(); i++) {
                if (updated[i] == 0) {
                    StepBatcher.Succeeded s = held.get(i);
                    Jdbc.bind(insertSteps, id(s.claim()), s.index(), s.type(), "succeeded", s.input(), s.output(), null,
                            now, now);
                    insertSteps.addBatch();
                    inserts++;
                }
            }
            if (inserts > 0) {
                insertSteps.executeBatch();
            }
        }
    }

    @Override
    public boolean stepRetry(Claim claim, int index, String type, String input, String error, Instant retryAt) {
        return whileHeld(claim, c -> {
            saveStep(c, claim, index, type, "retrying", input, null, error);
            if (!cancelIfAsked(c, claim)) {
                Jdbc.update(c, "update df_execution set status = 'queued', lease_owner = null, lease_until = null, "
                        + "waiting_for = null, next_attempt_at = ?, error = ? where id = ?", retryAt, truncate(error), id(claim));
            }
        });
    }

    @Override
    public boolean stepFailed(Claim claim, int index, String type, String input, String error) {
        return whileHeld(claim, c -> {
            saveStep(c, claim, index, type, "failed", input, null, error);
            if (!cancelIfAsked(c, claim)) {
                finish(c, claim, "failed", error);
            }
        });
    }

    @Override
    public boolean succeeded(Claim claim) {
        return whileHeld(claim, c -> finish(c, claim, "succeeded", null));
    }

    @Override
    public boolean waiting(Claim claim, String actionType, Instant recheckAt) {
        return whileHeld(claim, c -> {
            if (!cancelIfAsked(c, claim)) {
                Instant now = now();
                boolean elsewhere = Jdbc.exists(c, "select 1 from df_node where heartbeat_at > ? and action_types like ? "
                         + "escape '!'", now.minus(nodeDeadAfter), "%," + Jdbc.likeLiteral(actionType) + ",%");
                Jdbc.update(c, "update df_execution set status = 'waiting', waiting_for = ?, lease_owner = null, "
                        + "lease_until = null, next_attempt_at = ? where id = ?", actionType, elsewhere ? now : recheckAt,
                        id(claim));
            }
        });
    }

    @Override
    public void release(Claim claim) {
        whileHeld(claim, c -> {
            if (!cancelIfAsked(c, claim)) {
                Jdbc.update(c, "update df_execution set status = 'queued', lease_owner = null, lease_until = null, "
                        + "waiting_for = null, next_attempt_at = ? where id = ?", now(), id(claim));
            }
        });
    }

    /**
     * A cancellation asked for while the execution ran takes effect where it would otherwise go on (retry, wait,
     * hand back) or fail; true when it did.
     */
    private static boolean cancelIfAsked(Connection c, Claim claim) throws SQLException {
        return cancelNow(c, "id = ? and cancel_requested = ?", id(claim), true) == 1;
    }

    @Override
    public int wakeWaiting(String actionType) {
        return Jdbc.tx(db.dataSource(), c -> Jdbc.update(c, "update df_execution set next_attempt_at = ? "
                + "where status = 'waiting' and waiting_for = ?", now(), actionType));
    }

    private interface HeldWork {
        void apply(Connection c) throws SQLException;
    }

    /** Locks the execution row if this claim still holds it, then runs the writes in the same transaction. */
    private boolean whileHeld(Claim claim, HeldWork work) {
        return Jdbc.tx(db.dataSource(), c -> {
            try (PreparedStatement ps = Jdbc.bind(c.prepareStatement("select id from df_execution where id = ? "
                    + "and lease_owner = ? and status = 'running' for update"), id(claim), claim.leaseToken());
                 ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
            }
            work.apply(c);
            return true;
        });
    }

    private static void finish(Connection c, Claim claim, String status, String error) throws SQLException {
        Jdbc.update(c, "update df_execution set status = ?, error = ?, waiting_for = null, lease_owner = null, "
                + "lease_until = null, cancel_requested = ?, finished_at = ? where id = ?", status, truncate(error),
                false, now(), id(claim));
    }

    private static void saveStep(Connection c, Claim claim, int index, String type, String status, String input,
                                 String output, String error) throws SQLException {
        saveStep(c, claim, index, type, status, input, output, error, status);
    }

    /**
     * Writes the step's latest result and one row for the attempt that produced it ({@code outcome}), which began at
     * the execution's {@code attempt_started_at} — unknown (null) for an attempt that never reported back.
     */
    private static void saveStep(Connection c, Claim claim, int index, String type, String status, String input,
                                 String output, String error, String outcome) throws SQLException {
        Instant now = now();
        if ("lost".equals(outcome)) {
            Jdbc.update(c, INSERT_LOST_ATTEMPT, id(claim), index, id(claim), index, now, outcome, truncate(error));
        } else {
            Jdbc.update(c, INSERT_ATTEMPT, id(claim), index, id(claim), index, id(claim), now, outcome, truncate(error));
        }
        int n = Jdbc.update(c, UPDATE_STEP, type, status, input, output, truncate(error), now, id(claim), index);
        if (n == 0) {
            Jdbc.update(c, INSERT_STEP, id(claim), index, type, status, input, output, truncate(error), now, now);
        }
    }

    /** One row per attempt, numbered in order, begun at the execution's {@code attempt_started_at}. */
    private static final String INSERT_ATTEMPT = "insert into df_step_attempt (execution_id, step_index, attempt, "
            + "started_at, finished_at, outcome, error) values (?, ?, (select coalesce(max(a.attempt), 0) + 1 "
            + "from df_step_attempt a where a.execution_id = ? and a.step_index = ?), "
            + "(select e.attempt_started_at from df_execution e where e.id = ?), ?, ?, ?)";
    /** An attempt that never reported back: when it began is unknown. */
    private static final String INSERT_LOST_ATTEMPT = "insert into df_step_attempt (execution_id, step_index, attempt, "
            + "started_at, finished_at, outcome, error) values (?, ?, (select coalesce(max(a.attempt), 0) + 1 "
            + "from df_step_attempt a where a.execution_id = ? and a.step_index = ?), null, ?, ?, ?)";
    /** A step's latest result; {@link #INSERT_STEP} when the step has none yet. */
    private static final String UPDATE_STEP = "update df_execution_step set type = ?, status = ?, input = ?, "
            + "output = ?, error = ?, attempts = attempts + 1, finished_at = ? where execution_id = ? and step_index = ?";
    private static final String INSERT_STEP = "insert into df_execution_step (execution_id, step_index, type, status, "
            + "input, output, error, attempts, started_at, finished_at) values (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)";
    /** PostgreSQL: {@link #INSERT_STEP}, or {@link #UPDATE_STEP}'s change when the step has a row; INSERT_STEP's binds. */
    private static final String UPSERT_STEP = "insert into df_execution_step as s (execution_id, step_index, type, "
            + "status, input, output, error, attempts, started_at, finished_at) values (?, ?, ?, ?, ?, ?, ?, 1, ?, ?) "
            + "on conflict (execution_id, step_index) do update set type = excluded.type, status = excluded.status, "
            + "input = excluded.input, output = excluded.output, error = excluded.error, attempts = s.attempts + 1, "
            + "finished_at = excluded.finished_at";

    @Override
    public Page<ExecutionRow> list(String orgId, ExecutionFilter filter, int limit, String cursor) {
        int size = Math.max(1, Math.min(limit, 500));
        Cursors.Position after = Cursors.decode(cursor);
        StringBuilder sql = new StringBuilder("select " + COLUMNS + FROM + " where e.org_id = ?");
        List<Object> args = new ArrayList<>(List.of(orgId));
        if (filter.workflowId() != null) {
            sql.append(" and e.workflow_id = ?");
            args.add(filter.workflowId());
        }
        if (filter.status() != null) {
            sql.append(" and e.status = ?");
            args.add(filter.status().name().toLowerCase(Locale.ROOT));
        }
        if (filter.test() != null) {
            sql.append(" and e.test_run = ?");
            args.add(filter.test());
        }
        if (filter.from() != null) {
            sql.append(" and e.created_at >= ?");
            args.add(filter.from());
        }
        if (filter.to() != null) {
            sql.append(" and e.created_at < ?");
            args.add(filter.to());
        }
        if (filter.text() != null && !filter.text().isBlank()) {
            // A substring of the trigger data as stored (JSON text), wildcards in the search taken literally.
            sql.append(" and lower(t.data) like ? escape '!'");
            args.add("%" + likeLiteral(filter.text().trim().toLowerCase(Locale.ROOT)) + "%");
        }
        if (after != null) {
            sql.append(" and (e.created_at < ? or (e.created_at = ? and e.id < ?))");
            args.addAll(List.of(after.time(), after.time(), after.id()));
        }
        sql.append(" order by e.created_at desc, e.id desc fetch first ").append(size + 1).append(" rows only");
        return Jdbc.tx(db.dataSource(), c -> {
            List<ExecutionRow> rows = rows(c, sql.toString(), args.toArray());
            if (rows.size() <= size) {
                return new Page<>(rows, null);
            }
            ExecutionRow last = rows.get(size - 1);
            return new Page<>(rows.subList(0, size), Cursors.encode(last.createdAt(), last.id()));
        });
    }

    private static String likeLiteral(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    @Override
    public Optional<ExecutionRow> get(String orgId, String executionId) {
        return Jdbc.tx(db.dataSource(), c -> rows(c, "select " + COLUMNS + FROM + " where e.id = ? and e.org_id = ?",
                executionId, orgId).stream().findFirst());
    }

    @Override
    public Optional<ExecutionRow> get(String executionId) {
        return Jdbc.tx(db.dataSource(), c -> rows(c, "select " + COLUMNS + FROM + " where e.id = ?", executionId)
                .stream().findFirst());
    }

    @Override
    public List<StepRow> steps(String executionId) {
        return Jdbc.tx(db.dataSource(), c -> {
            try (PreparedStatement ps = Jdbc.bind(c.prepareStatement("select * from df_execution_step "
                    + "where execution_id = ? order by step_index"), executionId); ResultSet rs = ps.executeQuery()) {
                List<StepRow> steps = new ArrayList<>();
                while (rs.next()) {
                    steps.add(new StepRow(executionId, rs.getInt("step_index"), rs.getString("type"),
                            rs.getString("status"), rs.getString("input"), rs.getString("output"), rs.getString("error"),
                            rs.getInt("attempts"), Jdbc.getInstant(rs, "started_at"), Jdbc.getInstant(rs, "finished_at")));
                }
                return steps;
            }
        });
    }

    @Override
    public List<AttemptRow> attempts(String executionId) {
        return Jdbc.tx(db.dataSource(), c -> {
            try (PreparedStatement ps = Jdbc.bind(c.prepareStatement("select * from df_step_attempt "
                    + "where execution_id = ? order by step_index, attempt"), executionId); ResultSet rs = ps.executeQuery()) {
                List<AttemptRow> attempts = new ArrayList<>();
                while (rs.next()) {
                    attempts.add(new AttemptRow(executionId, rs.getInt("step_index"), rs.getInt("attempt"),
                            Jdbc.getInstant(rs, "started_at"), Jdbc.getInstant(rs, "finished_at"),
                            rs.getString("outcome"), rs.getString("error")));
                }
                return attempts;
            }
        });
    }

    @Override
    public boolean retry(String orgId, String executionId) {
        return Jdbc.tx(db.dataSource(), c -> {
            int n = Jdbc.update(c, "update df_execution set status = 'queued', error = null, finished_at = null, "
                    + "next_attempt_at = ? where id = ? and org_id = ? and status in ('failed', 'cancelled')",
                    now(), executionId, orgId);
            if (n == 1) {
                Jdbc.update(c, "update df_execution_step set attempts = 0, status = 'pending' where execution_id = ? "
                        + "and step_index = (select current_step from df_execution where id = ?)", executionId, executionId);
            }
            return n == 1;
        });
    }

    private static List<ExecutionRow> rows(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = Jdbc.bind(c.prepareStatement(sql), args); ResultSet rs = ps.executeQuery()) {
            List<ExecutionRow> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(row(rs));
            }
            return rows;
        }
    }

    private static ExecutionRow row(ResultSet rs) throws SQLException {
        return new ExecutionRow(rs.getString("id"), rs.getString("org_id"), rs.getString("workflow_id"),
                rs.getInt("workflow_version"), rs.getString("status"), rs.getString("trigger_type"), rs.getString("data"),
                rs.getString("variables"), rs.getInt("current_step"), rs.getString("waiting_for"), rs.getString("error"),
                Jdbc.getInstant(rs, "next_attempt_at"), Jdbc.getInstant(rs, "created_at"),
                Jdbc.getInstant(rs, "started_at"), Jdbc.getInstant(rs, "finished_at"), rs.getBoolean("cancel_requested"),
                rs.getBoolean("test_run"));
    }

    private static String id(Claim claim) {
        return claim.execution().id();
    }

    private static String truncate(String error) {
        return error == null || error.length() <= 4000 ? error : error.substring(0, 3997) + "...";
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
