package com.dooneflow.api.team;

/**
 * What a caller sends to create or change a team member. On create, {@code name} and {@code phone} are required
 * and a null {@code active} means active. On update, a null field stays as it is and an empty {@code email}
 * removes the email.
 */
public record TeamMemberInput(String name, String phone, String email, Boolean active) {
}
