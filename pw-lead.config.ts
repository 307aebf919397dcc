import base from './playwright.config.ts';
export default { ...base, retries: 0, use: { ...base.use, baseURL: 'http://127.0.0.1:4175' }, webServer: { ...base.webServer, command: 'npx vite preview --host 127.0.0.1 --port 4175 --strictPort', url: 'http://127.0.0.1:4175' } };
