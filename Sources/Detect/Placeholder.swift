/// Placeholder until the module's issue lands.
enum DetectPlaceholder {}
