// Stores a theme cookie for a year, sent with every page request so the server prerenders in that theme.
export function storeThemeCookie(name, value) {
    document.cookie = `${encodeURIComponent(name)}=${encodeURIComponent(value)}; path=/; max-age=31536000; samesite=lax`;
}
