// How the app writes sizes: whole mebibytes.
export const mib = (bytes: number): string => `${Math.round(bytes / 2 ** 20)} MiB`;
