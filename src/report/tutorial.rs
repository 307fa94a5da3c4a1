pub fn section(_root: &std::path::Path) -> String {
    String::new()
}
