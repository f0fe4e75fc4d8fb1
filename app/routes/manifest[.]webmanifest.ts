// The web app manifest (issue 15): 议事 installs to a phone's home screen and opens full screen.
export function loader() {
  const manifest = {
    name: "议事 · 红色议事会协同平台",
    short_name: "议事",
    description: "居民出题、社区领题、问题共商、物业答题、问题联办",
    lang: "zh-CN",
    dir: "ltr",
    id: "/",
    start_url: "/",
    scope: "/",
    display: "standalone",
    orientation: "portrait",
    theme_color: "#b71c1c",
    background_color: "#fffaf5",
    icons: [
      { src: "/icons/icon-192.png", sizes: "192x192", type: "image/png", purpose: "any" },
      { src: "/icons/icon-512.png", sizes: "512x512", type: "image/png", purpose: "any" },
      { src: "/icons/maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
    ],
  };
  return new Response(JSON.stringify(manifest), {
    headers: { "Content-Type": "application/manifest+json; charset=utf-8", "Cache-Control": "public, max-age=3600" },
  });
}
