pub fn section(_store: &crate::results::Store) -> String {
    String::new()
}
