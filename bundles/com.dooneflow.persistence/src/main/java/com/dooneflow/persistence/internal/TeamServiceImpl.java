package com.dooneflow.persistence.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.dooneflow.api.FieldError;
import com.dooneflow.api.ForbiddenException;
import com.dooneflow.api.NotFoundException;
import com.dooneflow.api.Page;
import com.dooneflow.api.Principal;
import com.dooneflow.api.Role;
import com.dooneflow.api.ValidationException;
import com.dooneflow.api.team.Assignment;
import com.dooneflow.api.team.AssignmentRequest;
import com.dooneflow.api.team.Contact;
import com.dooneflow.api.team.NoActiveTeamMemberException;
import com.dooneflow.api.team.TeamMember;
import com.dooneflow.api.team.TeamMemberInput;
import com.dooneflow.api.team.TeamService;
import com.dooneflow.api.team.TeamStats;

/**
 * Team members, their rotations and the assignment log in plain SQL (the same statements on PostgreSQL and H2).
 * A turn is handed out in one transaction holding the pool's row lock ({@code df_team_pool ... for update}):
 * the rotation state lives only in the database, so threads and nodes take turns strictly one after another.
 */
@Component(service = TeamService.class)
public class TeamServiceImpl implements TeamService {

    /** The rotation over every active member of the organization (no explicit pool). */
    static final String DEFAULT_POOL = "all";
    private static final String MEMBER_NOT_FOUND = "team member not found";
    private static final String MEMBER_COLUMNS = "id, name, phone, email, active, created_at, updated_at";
    private static final String ASSIGNMENT_COLUMNS = "id, member_id, member_name, member_phone, member_email, "
            + "execution_id, step_index, turn, contact_name, contact_phone, contact_email, assigned_at";

    private final Database db;

    @Activate
    public TeamServiceImpl(@Reference Database db) {
        this.db = db;
    }

    // ---- members ----

    @Override
    public Page<TeamMember> list(Principal caller, String orgId, int limit, String cursor) {
        int size = Math.max(1, Math.min(limit, 500));
        Cursors.Position after = Cursors.decode(cursor);
        return Jdbc.tx(db.dataSource(), c -> {
            requireRole(c, caller, orgId, false);
            StringBuilder sql = new StringBuilder("select " + MEMBER_COLUMNS + " from df_team_member "
                    + "where org_id = ? and deleted_at is null");
            List<Object> args = new ArrayList<>(List.of(orgId));
            if (after != null) {
                sql.append(" and (created_at > ? or (created_at = ? and id > ?))");
                args.addAll(List.of(after.time(), after.time(), after.id()));
            }
            sql.append(" order by created_at, id fetch first ").append(size + 1).append(" rows only");
            List<TeamMember> rows = new ArrayList<>();
            try (PreparedStatement ps = Jdbc.bind(c.prepareStatement(sql.toString()), args.toArray());
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(toMember(rs));
                }
            }
            String next = null;
            if (rows.size() > size) {
                rows = rows.subList(0, size);
                TeamMember last = rows.get(size - 1);
                next = Cursors.encode(last.createdAt(), last.id());
            }
            return new Page<>(List.copyOf(rows), next);
        });
    }

    @Override
    public TeamMember get(Principal caller, String orgId, String id) {
        return Jdbc.tx(db.dataSource(), c -> {
            requireRole(c, caller, orgId, false);
            return member(c, orgId, id, false).orElseThrow(() -> new NotFoundException(MEMBER_NOT_FOUND));
        });
    }

    @Override
    public TeamMember create(Principal caller, String orgId, TeamMemberInput input) {
        return Jdbc.tx(db.dataSource(), c -> {
            requireRole(c, caller, orgId, true);
            if (input == null) {
                throw ValidationException.of("name", "is required");
            }
            List<FieldError> errors = new ArrayList<>();
            String name = name(input.name(), errors);
            String phone = phone(input.phone(), errors);
            String email = email(input.email(), errors);
            if (!errors.isEmpty()) {
                throw new ValidationException(errors);
            }
            Instant now = OrganizationServiceImpl.now();
            TeamMember member = new TeamMember(Ids.uuid(), name, phone, email, input.active() == null || input.active(),
                    now, now);
            Jdbc.update(c, "insert into df_team_member (id, org_id, name, phone, email, active, created_at, updated_at) "
                            + "values (?, ?, ?, ?, ?, ?, ?, ?)", member.id(), orgId, member.name(), member.phone(),
                    member.email(), member.active(), now, now);
            return member;
        });
    }

    @Override
    public TeamMember update(Principal caller, String orgId, String id, TeamMemberInput changes) {
        return Jdbc.tx(db.dataSource(), c -> {
            requireRole(c, caller, orgId, true);
            TeamMemberInput in = changes == null ? new TeamMemberInput(null, null, null, null) : changes;
            List<FieldError> errors = new ArrayList<>();
            String name = in.name() == null ? null : name(in.name(), errors);
            String phone = in.phone() == null ? null : phone(in.phone(), errors);
            String email = in.email() == null ? null : email(in.email(), errors);
            if (!errors.isEmpty()) {
                throw new ValidationException(errors);
            }
            TeamMember current = member(c, orgId, id, true).orElseThrow(() -> new NotFoundException(MEMBER_NOT_FOUND));
            boolean active = in.active() == null ? current.active() : in.active();
            TeamMember updated = new TeamMember(current.id(), name == null ? current.name() : name,
                    phone == null ? current.phone() : phone,
                    in.email() == null ? current.email() : email, active, current.createdAt(),
                    OrganizationServiceImpl.now());
            Jdbc.update(c, "update df_team_member set name = ?, phone = ?, email = ?, active = ?, updated_at = ? "
                            + "where id = ?", updated.name(), updated.phone(), updated.email(), updated.active(),
                    updated.updatedAt(), id);
            if (!active) {
                // Out of every rotation; coming back later starts afresh rather than with turns saved up.
                Jdbc.update(c, "delete from df_team_rotation where member_id = ?", id);
            }
            return updated;
        });
    }

    @Override
    public void delete(Principal caller, String orgId, String id) {
        Jdbc.tx(db.dataSource(), c -> {
            requireRole(c, caller, orgId, true);
            member(c, orgId, id, true).orElseThrow(() -> new NotFoundException(MEMBER_NOT_FOUND));
            Instant now = OrganizationServiceImpl.now();
            // Kept as a row so the assignment log still names the member.
            Jdbc.update(c, "update df_team_member set active = ?, deleted_at = ?, updated_at = ? where id = ?",
                    false, now, now, id);
            Jdbc.update(c, "delete from df_team_rotation where member_id = ?", id);
            return null;
        });
    }

    // ---- the assignment log ----

    @Override
    public Page<Assignment> assignments(Principal caller, String orgId, String memberId, Instant from, Instant to,
                                        int limit, String cursor) {
        return Jdbc.tx(db.dataSource(), c -> {
            requireRole(c, caller, orgId, false);
            // A deleted member's assignments stay readable by its id.
            if (!exists(c, orgId, memberId)) {
                throw new NotFoundException(MEMBER_NOT_FOUND);
            }
            return assignmentPage(c, orgId, "member_id", memberId, from, to, limit, cursor);
        });
    }

    @Override
    public Page<Assignment> log(Principal caller, String orgId, String executionId, Instant from, Instant to,
                                int limit, String cursor) {
        return Jdbc.tx(db.dataSource(), c -> {
            requireRole(c, caller, orgId, false);
            return assignmentPage(c, orgId, executionId == null ? null : "execution_id", executionId, from, to, limit,
                    cursor);
        });
    }

    private static Page<Assignment> assignmentPage(Connection c, String orgId, String filterColumn, String filter,
                                                   Instant from, Instant to, int limit, String cursor)
            throws SQLException {
        int size = Math.max(1, Math.min(limit, 500));
        Cursors.Position after = Cursors.decode(cursor);
        StringBuilder sql = new StringBuilder("select " + ASSIGNMENT_COLUMNS + " from df_team_assignment where org_id = ?");
        List<Object> args = new ArrayList<>(List.of(orgId));
        if (filterColumn != null) {
            sql.append(" and ").append(filterColumn).append(" = ?");
            args.add(filter);
        }
        appendPeriod(sql, args, from, to);
        if (after != null) {
            sql.append(" and (assigned_at < ? or (assigned_at = ? and id < ?))");
            args.addAll(List.of(after.time(), after.time(), after.id()));
        }
        sql.append(" order by assigned_at desc, id desc fetch first ").append(size + 1).append(" rows only");
        List<Assignment> rows = new ArrayList<>();
        try (PreparedStatement ps = Jdbc.bind(c.prepareStatement(sql.toString()), args.toArray());
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(toAssignment(rs));
            }
        }
        String next = null;
        if (rows.size() > size) {
            rows = rows.subList(0, size);
            Assignment last = rows.get(size - 1);
            next = Cursors.encode(last.assignedAt(), last.id());
        }
        return new Page<>(List.copyOf(rows), next);
    }

    @Override
    public TeamStats stats(Principal caller, String orgId, Instant from, Instant to) {
        return Jdbc.tx(db.dataSource(), c -> {
            requireRole(c, caller, orgId, false);
            if (from != null && to != null && !from.isBefore(to)) {
                throw ValidationException.of("to", "must be after from");
            }
            StringBuilder sql = new StringBuilder("select m.id, m.name, m.active, m.deleted_at, count(a.id) "
                    + "from df_team_member m left join df_team_assignment a on a.member_id = m.id");
            List<Object> args = new ArrayList<>();
            if (from != null) {
                sql.append(" and a.assigned_at >= ?");
                args.add(from);
            }
            if (to != null) {
                sql.append(" and a.assigned_at < ?");
                args.add(to);
            }
            sql.append(" where m.org_id = ? group by m.id, m.name, m.active, m.deleted_at, m.created_at "
                    + "order by m.created_at, m.id");
            args.add(orgId);
            List<TeamStats.MemberCount> counts = new ArrayList<>();
            long total = 0;
            try (PreparedStatement ps = Jdbc.bind(c.prepareStatement(sql.toString()), args.toArray());
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    boolean deleted = rs.getObject(4) != null;
                    long n = rs.getLong(5);
                    if (deleted && n == 0) {
                        continue;
                    }
                    total += n;
                    counts.add(new TeamStats.MemberCount(rs.getString(1), rs.getString(2), rs.getBoolean(3), deleted, n));
                }
            }
            return new TeamStats(from, to, total, counts);
        });
    }

    // ---- the rotation ----

    @Override
    public Assignment assign(AssignmentRequest request) {
        String orgId = request.organizationId();
        if (orgId == null || request.idempotencyKey() == null) {
            throw new IllegalArgumentException("organization and idempotency key are required");
        }
        Optional<Assignment> earlier = Jdbc.tx(db.dataSource(), c -> byKey(c, orgId, request.idempotencyKey()));
        if (earlier.isPresent()) {
            return earlier.get();
        }
        String poolKey = poolKey(request.pool());
        ensurePool(orgId, poolKey);
        return Jdbc.tx(db.dataSource(), c -> {
            // The lock every turn of this rotation queues on, on every node.
            long turns;
            try (PreparedStatement ps = Jdbc.bind(c.prepareStatement("select turns from df_team_pool "
                    + "where org_id = ? and pool_key = ? for update"), orgId, poolKey); ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("rotation " + poolKey + " vanished");
                }
                turns = rs.getLong(1);
            }
            // An attempt of the same step that got here first while this one waited for the lock.
            Optional<Assignment> meanwhile = byKey(c, orgId, request.idempotencyKey());
            if (meanwhile.isPresent()) {
                return meanwhile.get();
            }
            Map<String, TeamMember> candidates = candidates(c, orgId, request);
            if (candidates.isEmpty()) {
                throw new NoActiveTeamMemberException("no active team member in pool " + describePool(request.pool()));
            }
            List<SmoothRoundRobin.Candidate> weighted = new ArrayList<>();
            candidates.keySet().forEach(id -> weighted.add(
                    new SmoothRoundRobin.Candidate(id, request.weights().getOrDefault(id, 1))));
            Map<String, Long> stored = currentWeights(c, orgId, poolKey);
            SmoothRoundRobin.Turn turn = SmoothRoundRobin.next(weighted, stored);
            saveWeights(c, orgId, poolKey, stored, turn.currentWeights());
            Jdbc.update(c, "update df_team_pool set turns = ? where org_id = ? and pool_key = ?", turns + 1, orgId,
                    poolKey);
            TeamMember chosen = candidates.get(turn.chosen());
            Contact contact = request.contact();
            Assignment a = new Assignment(Ids.uuid(), chosen.id(), chosen.name(), chosen.phone(), chosen.email(),
                    request.executionId(), request.stepIndex(), turns + 1, clip(contact.name(), 500),
                    clip(contact.phone(), 100), clip(contact.email(), 320), OrganizationServiceImpl.now());
            Jdbc.update(c, "insert into df_team_assignment (id, org_id, member_id, member_name, member_phone, "
                            + "member_email, execution_id, step_index, idempotency_key, pool_key, turn, contact_name, "
                            + "contact_phone, contact_email, assigned_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    a.id(), orgId, a.teamMemberId(), a.teamMemberName(), a.teamMemberPhone(), a.teamMemberEmail(),
                    a.executionId(), a.stepIndex(), request.idempotencyKey(), poolKey, a.turn(), a.contactName(),
                    a.contactPhone(), a.contactEmail(), a.assignedAt());
            return a;
        });
    }

    /**
     * The active members of the request's pool in rotation order (oldest first), after checking that the pool and
     * the weights name members of the organization. Deleted members named there are skipped like inactive ones.
     */
    private static Map<String, TeamMember> candidates(Connection c, String orgId, AssignmentRequest request)
            throws SQLException {
        Map<String, TeamMember> all = new LinkedHashMap<>();
        Map<String, Boolean> deleted = new HashMap<>();
        try (PreparedStatement ps = Jdbc.bind(c.prepareStatement("select " + MEMBER_COLUMNS + ", deleted_at "
                + "from df_team_member where org_id = ? order by created_at, id"), orgId);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                TeamMember m = toMember(rs);
                all.put(m.id(), m);
                deleted.put(m.id(), rs.getObject("deleted_at") != null);
            }
        }
        List<FieldError> errors = new ArrayList<>();
        for (String id : request.pool()) {
            if (!all.containsKey(id)) {
                errors.add(new FieldError("pool", "'" + id + "' is not a team member of this organization"));
            }
        }
        request.weights().forEach((id, weight) -> {
            if (!all.containsKey(id)) {
                errors.add(new FieldError("weights." + id, "is not a team member of this organization"));
            } else if (!request.pool().isEmpty() && !request.pool().contains(id)) {
                errors.add(new FieldError("weights." + id, "is not in the pool"));
            }
            if (weight == null || weight < 1 || weight > MAX_WEIGHT) {
                errors.add(new FieldError("weights." + id, "must be a whole number from 1 to " + MAX_WEIGHT));
            }
        });
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        Map<String, TeamMember> active = new LinkedHashMap<>();
        all.forEach((id, m) -> {
            if (m.active() && !deleted.get(id) && (request.pool().isEmpty() || request.pool().contains(id))) {
                active.put(id, m);
            }
        });
        return active;
    }

    private static Map<String, Long> currentWeights(Connection c, String orgId, String poolKey) throws SQLException {
        Map<String, Long> weights = new HashMap<>();
        try (PreparedStatement ps = Jdbc.bind(c.prepareStatement("select member_id, current_weight from df_team_rotation "
                + "where org_id = ? and pool_key = ?"), orgId, poolKey); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                weights.put(rs.getString(1), rs.getLong(2));
            }
        }
        return weights;
    }

    /** Replaces the rotation's {@code stored} state with {@code weights}: members no longer in it lose theirs. */
    private static void saveWeights(Connection c, String orgId, String poolKey, Map<String, Long> stored,
                                    Map<String, Long> weights) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("update df_team_rotation set current_weight = ? "
                + "where org_id = ? and pool_key = ? and member_id = ?");
             PreparedStatement insert = c.prepareStatement("insert into df_team_rotation (org_id, pool_key, member_id, "
                     + "current_weight) values (?, ?, ?, ?)");
             PreparedStatement delete = c.prepareStatement("delete from df_team_rotation "
                     + "where org_id = ? and pool_key = ? and member_id = ?")) {
            for (Map.Entry<String, Long> e : weights.entrySet()) {
                if (stored.containsKey(e.getKey())) {
                    Jdbc.bind(update, e.getValue(), orgId, poolKey, e.getKey()).addBatch();
                } else {
                    Jdbc.bind(insert, orgId, poolKey, e.getKey(), e.getValue()).addBatch();
                }
            }
            for (String gone : stored.keySet()) {
                if (!weights.containsKey(gone)) {
                    Jdbc.bind(delete, orgId, poolKey, gone).addBatch();
                }
            }
            update.executeBatch();
            insert.executeBatch();
            delete.executeBatch();
        }
    }

    /** Creates the rotation's lock row once; a node that loses the race to create it just uses it. */
    private void ensurePool(String orgId, String poolKey) {
        Jdbc.tx(db.dataSource(), c -> {
            try (PreparedStatement ps = Jdbc.bind(c.prepareStatement("select 1 from df_team_pool "
                    + "where org_id = ? and pool_key = ?"), orgId, poolKey); ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return null;
                }
            }
            var savepoint = c.setSavepoint();
            try {
                Jdbc.update(c, "insert into df_team_pool (org_id, pool_key, turns, created_at) values (?, ?, ?, ?)",
                        orgId, poolKey, 0L, OrganizationServiceImpl.now());
            } catch (SQLException e) {
                if (!Jdbc.isDuplicate(e)) {
                    throw e;
                }
                c.rollback(savepoint); // keeps the transaction usable on PostgreSQL
            }
            return null;
        });
    }

    /** The rotation a pool uses: the organization's default one, or one per distinct set of member ids. */
    static String poolKey(List<String> pool) {
        if (pool == null || pool.isEmpty()) {
            return DEFAULT_POOL;
        }
        return "pool-" + Ids.sha256Hex(String.join(",", new TreeSet<>(pool))).substring(0, 40);
    }

    private static String describePool(List<String> pool) {
        return pool.isEmpty() ? "(all team members of the organization)" : pool.toString();
    }

    private static Optional<Assignment> byKey(Connection c, String orgId, String key) throws SQLException {
        try (PreparedStatement ps = Jdbc.bind(c.prepareStatement("select " + ASSIGNMENT_COLUMNS
                + " from df_team_assignment where org_id = ? and idempotency_key = ?"), orgId, key);
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(toAssignment(rs)) : Optional.empty();
        }
    }

    // ---- helpers ----

    /**
     * The caller's role in the organization, checked in the transaction of the work it guards (as
     * {@link OrganizationServiceImpl#role} does on the JPA side). A change locks the caller's membership, so a demotion
     * made meanwhile waits for it to commit rather than slipping in between the check and the write.
     */
    private static void requireRole(Connection c, Principal caller, String orgId, boolean manage) throws SQLException {
        if (orgId == null || !OrganizationServiceImpl.inScope(caller, orgId)) {
            throw new NotFoundException(OrganizationServiceImpl.NOT_FOUND);
        }
        if (caller.system()) {
            if (!Jdbc.exists(c, "select 1 from df_organization where id = ?", orgId)) {
                throw new NotFoundException(OrganizationServiceImpl.NOT_FOUND);
            }
            return;
        }
        String role = null;
        try (PreparedStatement ps = Jdbc.bind(c.prepareStatement("select role from df_membership where org_id = ? "
                + "and user_id = ?" + (manage ? " for update" : "")), orgId, caller.userId());
             ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
                role = rs.getString(1);
            }
        }
        if (role == null) {
            throw new NotFoundException(OrganizationServiceImpl.NOT_FOUND);
        }
        if (manage && !Role.valueOf(role).canManage()) {
            throw new ForbiddenException("only owners and admins may do this");
        }
    }

    private static Optional<TeamMember> member(Connection c, String orgId, String id, boolean forUpdate)
            throws SQLException {
        if (id == null) {
            return Optional.empty();
        }
        try (PreparedStatement ps = Jdbc.bind(c.prepareStatement("select " + MEMBER_COLUMNS + " from df_team_member "
                + "where id = ? and org_id = ? and deleted_at is null" + (forUpdate ? " for update" : "")), id, orgId);
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(toMember(rs)) : Optional.empty();
        }
    }

    private static boolean exists(Connection c, String orgId, String id) throws SQLException {
        try (PreparedStatement ps = Jdbc.bind(c.prepareStatement("select 1 from df_team_member where id = ? and org_id = ?"),
                id, orgId); ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    private static void appendPeriod(StringBuilder sql, List<Object> args, Instant from, Instant to) {
        if (from != null) {
            sql.append(" and assigned_at >= ?");
            args.add(from);
        }
        if (to != null) {
            sql.append(" and assigned_at < ?");
            args.add(to);
        }
    }

    private static String name(String value, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            errors.add(new FieldError("name", "is required"));
            return null;
        }
        String name = value.strip();
        if (name.length() > 200) {
            errors.add(new FieldError("name", "must be at most 200 characters"));
        }
        return name;
    }

    private static String phone(String value, List<FieldError> errors) {
        PhoneNumbers.Result result = PhoneNumbers.e164(value);
        if (result.error() != null) {
            errors.add(new FieldError("phone", result.error()));
        }
        return result.number();
    }

    /** Null or blank = no email. */
    private static String email(String value, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Emails.normalize(value, "email");
        } catch (ValidationException e) {
            errors.addAll(e.errors());
            return null;
        }
    }

    private static String clip(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    private static TeamMember toMember(ResultSet rs) throws SQLException {
        return new TeamMember(rs.getString("id"), rs.getString("name"), rs.getString("phone"), rs.getString("email"),
                rs.getBoolean("active"), Jdbc.getInstant(rs, "created_at"), Jdbc.getInstant(rs, "updated_at"));
    }

    private static Assignment toAssignment(ResultSet rs) throws SQLException {
        return new Assignment(rs.getString("id"), rs.getString("member_id"), rs.getString("member_name"),
                rs.getString("member_phone"), rs.getString("member_email"), rs.getString("execution_id"),
                rs.getInt("step_index"), rs.getLong("turn"), rs.getString("contact_name"), rs.getString("contact_phone"),
                rs.getString("contact_email"), Jdbc.getInstant(rs, "assigned_at"));
    }
}
