"""Project planning: profile, work plan, resources, schedule, finance plan, exports."""
