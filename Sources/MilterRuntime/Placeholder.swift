/// Placeholder until the runtime lands.
enum MilterRuntimePlaceholder {}
