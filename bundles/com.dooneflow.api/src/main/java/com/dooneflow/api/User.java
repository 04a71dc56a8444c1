package com.dooneflow.api;

import java.time.Instant;

public record User(String id, String email, Instant createdAt) {
}
