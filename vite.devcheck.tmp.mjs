import base from '/work/main/vite.config.ts';
export default { ...base, root: '/work/main', server: { watch: { ignored: ['**/*'] } } };
