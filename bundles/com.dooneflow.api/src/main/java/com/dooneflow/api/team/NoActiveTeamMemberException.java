package com.dooneflow.api.team;

/** The pool has no active team member to assign to: a permanent failure of the step, not worth retrying. */
public class NoActiveTeamMemberException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NoActiveTeamMemberException(String message) {
        super(message);
    }
}
