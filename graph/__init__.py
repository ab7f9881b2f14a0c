"""policykg: knowledge graphs from policy white papers."""
